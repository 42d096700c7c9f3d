namespace HyperFunctions.Domain.Execution;

public enum OrderSide
{
    Buy,
    Sell,
}

public enum OrderType
{
    Limit,
    Market,
}

/// <summary>Time in force of a limit order, spelled as the venue spells it (Gtc, Ioc, Alo).</summary>
public enum TimeInForce
{
    Gtc,
    Ioc,
    Alo,
}

/// <summary>
/// A validated order intent. <see cref="Cloid"/> is its identity everywhere (table row, queue message,
/// venue client order id); <see cref="SourceKey"/> is what it was derived from (the client's
/// idempotency key, or a fresh id).
/// </summary>
/// <param name="LimitPrice">The limit price of a limit order; null for a market order.</param>
/// <param name="Slippage">For a market order: the worst price accepted, as a fraction of the mid (sent as an IOC limit at mid × (1 ± slippage)).</param>
/// <param name="Tif">Gtc, Ioc or Alo for limit orders; always Ioc for market orders.</param>
public sealed record OrderIntent(
    string Cloid,
    string SourceKey,
    string Coin,
    OrderSide Side,
    decimal Size,
    OrderType Type,
    decimal? LimitPrice,
    decimal? Slippage,
    TimeInForce Tif,
    bool ReduceOnly)
{
    public bool IsBuy => Side == OrderSide.Buy;

    /// <summary>The position change the order makes if it fills completely (+ buys, − sells).</summary>
    public decimal SignedSize => IsBuy ? Size : -Size;
}

/// <summary>An intent as it arrives, before validation: every field optional, so the validator can name each missing or bad one.</summary>
public sealed record OrderIntentDraft(
    string? Coin,
    string? Side,
    decimal? Size,
    string? Type,
    decimal? LimitPrice,
    decimal? Slippage,
    string? Tif,
    bool ReduceOnly,
    string? Cloid);
