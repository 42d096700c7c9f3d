namespace HyperFunctions.Domain.Execution;

/// <summary>
/// What an order status string of the venue's <c>orderStatus</c> answer means for an intent. The venue reference
/// (/work/shared/hyperliquid.md) gives the answer's shape but not the list of statuses; the public SDKs list
/// <c>open</c>, <c>filled</c>, <c>triggered</c>, <c>canceled</c>, <c>rejected</c>, a family of <c>…Canceled</c>
/// (<c>marginCanceled</c>, <c>reduceOnlyCanceled</c>, <c>selfTradeCanceled</c>, …), <c>scheduledCancel</c> (the dead
/// man's switch fired) and a family of <c>…Rejected</c>. The rule therefore goes by the spelling, so a status
/// added later in either family is still read right; anything else (e.g. <c>triggered</c>) is ACCEPTED with the text.
/// </summary>
public static class VenueOrderStatus
{
    public const string Open = "open";
    public const string Filled = "filled";
    public const string ScheduledCancel = "scheduledCancel";

    public static OrderStatus Classify(string? venueStatus) => venueStatus switch
    {
        null or "" => OrderStatus.Accepted,
        Open => OrderStatus.Resting,
        Filled => OrderStatus.Filled,
        ScheduledCancel or "canceled" => OrderStatus.Canceled,
        "rejected" => OrderStatus.Rejected,
        _ when venueStatus.EndsWith("Canceled", StringComparison.Ordinal) => OrderStatus.Canceled,
        _ when venueStatus.EndsWith("Rejected", StringComparison.Ordinal) => OrderStatus.Rejected,
        _ => OrderStatus.Accepted,
    };
}
