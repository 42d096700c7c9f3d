namespace HyperFunctions.Hyperliquid.Models;

/// <summary>An order as the venue reports it (openOrders, orderStatus, orderUpdates).</summary>
public sealed record VenueOrder(
    string Coin,
    string Side,
    decimal LimitPx,
    decimal Sz,
    long Oid,
    long Timestamp,
    decimal OrigSz,
    string? Cloid = null,
    bool? ReduceOnly = null);

/// <summary>An order with its status (orderStatus answer, orderUpdates channel).</summary>
public sealed record OrderWithStatus(VenueOrder Order, string Status, long StatusTimestamp);

/// <summary>The <c>orderStatus</c> answer: <c>status</c> is <c>order</c> or <c>unknownOid</c>.</summary>
public sealed record OrderStatusResult(string Status, OrderWithStatus? Order = null)
{
    /// <summary>Whether the venue knows the order.</summary>
    public bool IsKnown => Order is not null && string.Equals(Status, "order", StringComparison.Ordinal);
}
