namespace HyperFunctions.Domain.Execution;

/// <summary>
/// Where an intent stands. Wire names are UPPER_SNAKE (DRY_RUN). RECEIVED and SENDING are on the way;
/// UNKNOWN means a send may have reached the venue without an answer; every other status is a result
/// the executor never acts on again. CANCELED: the order rested and was then cancelled at the venue
/// (a cancel, a kill switch or the venue's scheduleCancel).
/// </summary>
public enum OrderStatus
{
    Received,
    Sending,
    Accepted,
    Resting,
    Filled,
    Rejected,
    Unknown,
    DryRun,
    Blocked,
    Canceled,
}

public static class OrderStatusExtensions
{
    public static string ToWire(this OrderStatus status) => WireNames<OrderStatus>.ToWire(status);

    /// <summary>A result the executor does not act on again (redelivery does nothing).</summary>
    public static bool IsTerminal(this OrderStatus status) =>
        status is not (OrderStatus.Received or OrderStatus.Sending or OrderStatus.Unknown);

    /// <summary>A send may have happened: ask the venue by cloid before sending again.</summary>
    public static bool MayHaveBeenSent(this OrderStatus status) => status is OrderStatus.Sending or OrderStatus.Unknown;

    /// <summary>
    /// The venue answered and the order may still be on its book (RESTING, or ACCEPTED with another venue status): the
    /// resting-order refresh asks the venue about these, because the venue can fill or cancel them later by itself.
    /// </summary>
    public static bool MayRestAtVenue(this OrderStatus status) => status is OrderStatus.Resting or OrderStatus.Accepted;
}
