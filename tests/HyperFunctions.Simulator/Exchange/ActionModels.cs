using System.Text.Json.Nodes;

namespace HyperFunctions.Simulator.Exchange;

/// <summary>A parsed, signed /exchange request. <see cref="Action"/> keeps the received key order (it is hashed).</summary>
internal sealed record ExchangeRequest(
    JsonObject Action,
    string ActionType,
    long Nonce,
    string R,
    string S,
    int V,
    string? VaultAddress,
    long? ExpiresAfter,
    int BatchLength);

/// <summary>One entry of an order action. Px/Sz are null when their strings are not numbers.</summary>
internal sealed record OrderRequest(long Asset, bool IsBuy, decimal? Px, decimal? Sz, bool ReduceOnly, string? Tif, bool IsTrigger, string? Cloid);

internal sealed record CancelRequest(long Asset, long Oid);

internal sealed record CancelByCloidRequest(long Asset, string Cloid);
