namespace HyperFunctions.Hyperliquid.Models;

/// <summary>
/// A WebSocket subscription as sent on the wire (<c>{"type":"l2Book","coin":"BTC"}</c>); equal values
/// are the same subscription. Use the factory methods.
/// </summary>
public sealed record Subscription(string Type, string? Coin = null, string? User = null, string? Interval = null)
{
    /// <summary><c>allMids</c></summary>
    public static Subscription AllMids() => new("allMids");

    /// <summary><c>l2Book</c> for a coin.</summary>
    public static Subscription L2Book(string coin) => new("l2Book", Coin: coin);

    /// <summary><c>trades</c> for a coin.</summary>
    public static Subscription Trades(string coin) => new("trades", Coin: coin);

    /// <summary><c>bbo</c> for a coin.</summary>
    public static Subscription Bbo(string coin) => new("bbo", Coin: coin);

    /// <summary><c>candle</c> for a coin and interval (e.g. <c>1m</c>).</summary>
    public static Subscription Candle(string coin, string interval) => new("candle", Coin: coin, Interval: interval);

    /// <summary><c>activeAssetCtx</c> for a coin.</summary>
    public static Subscription ActiveAssetCtx(string coin) => new("activeAssetCtx", Coin: coin);

    /// <summary><c>userFills</c> for a user address.</summary>
    public static Subscription UserFills(string user) => new("userFills", User: user);

    /// <summary><c>orderUpdates</c> for a user address.</summary>
    public static Subscription OrderUpdates(string user) => new("orderUpdates", User: user);

    /// <summary><c>userEvents</c> for a user address (wire channel <c>user</c>).</summary>
    public static Subscription UserEvents(string user) => new("userEvents", User: user);

    /// <inheritdoc />
    public override string ToString() => $"{Type}{(Coin is null ? "" : ":" + Coin)}{(Interval is null ? "" : ":" + Interval)}{(User is null ? "" : ":" + User)}";
}
