namespace HyperFunctions.Simulator.Market;

/// <summary>An order: resting in a book, or (for users) kept as history for orderStatus.</summary>
internal sealed class Order
{
    public required long Oid { get; init; }

    /// <summary>Owner address; null for the synthetic market maker.</summary>
    public required string? User { get; init; }

    public required int Asset { get; init; }

    public required string Coin { get; init; }

    public required bool IsBuy { get; init; }

    public required decimal LimitPx { get; init; }

    public required decimal OrigSz { get; init; }

    /// <summary>Remaining (unfilled) size.</summary>
    public required decimal Sz { get; set; }

    public required long Timestamp { get; init; }

    public string? Cloid { get; init; }

    public bool ReduceOnly { get; init; }

    public string Tif { get; init; } = "Gtc";

    public string Status { get; set; } = OrderStatuses.Open;

    public long StatusTimestamp { get; set; }

    public bool IsMarketMaker => User is null;
}

/// <summary>Order status strings as the venue spells them.</summary>
internal static class OrderStatuses
{
    public const string Open = "open";
    public const string Filled = "filled";
    public const string Canceled = "canceled";
    public const string Rejected = "rejected";
    public const string ReduceOnlyCanceled = "reduceOnlyCanceled";
    public const string SelfTradeCanceled = "selfTradeCanceled";
    public const string ScheduledCancel = "scheduledCancel";
    public const string MinTradeNtlRejected = "minTradeNtlRejected";
    public const string PerpMarginRejected = "perpMarginRejected";
    public const string ReduceOnlyRejected = "reduceOnlyRejected";
    public const string BadAloPxRejected = "badAloPxRejected";
    public const string IocCancelRejected = "iocCancelRejected";
}
