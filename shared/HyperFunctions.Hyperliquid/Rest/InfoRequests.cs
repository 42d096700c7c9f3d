namespace HyperFunctions.Hyperliquid.Rest;

/// <summary><c>{"type": ...}</c></summary>
internal sealed record TypeOnlyRequest(string Type);

/// <summary><c>{"type", "coin"}</c></summary>
internal sealed record CoinRequest(string Type, string Coin);

/// <summary><c>{"type", "user"}</c></summary>
internal sealed record UserRequest(string Type, string User);

/// <summary><c>{"type", "user", "startTime", "endTime"?}</c></summary>
internal sealed record UserTimeRequest(string Type, string User, long StartTime, long? EndTime);

/// <summary><c>{"type", "coin", "startTime", "endTime"?}</c></summary>
internal sealed record CoinTimeRequest(string Type, string Coin, long StartTime, long? EndTime);

/// <summary><c>{"type":"orderStatus", "user", "oid": number}</c></summary>
internal sealed record OrderStatusByOidRequest(string Type, string User, long Oid);

/// <summary><c>{"type":"orderStatus", "user", "oid": "0x…cloid"}</c></summary>
internal sealed record OrderStatusByCloidRequest(string Type, string User, string Oid);

/// <summary>WebSocket control message <c>{"method", "subscription"?}</c>.</summary>
internal sealed record SocketCommand(string Method, Models.Subscription? Subscription = null);
