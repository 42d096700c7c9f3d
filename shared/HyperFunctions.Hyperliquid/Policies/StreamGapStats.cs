namespace HyperFunctions.Hyperliquid.Policies;

/// <summary>Continuity counters of one stream (channel + coin).</summary>
/// <param name="Stream">Stream key, e.g. <c>l2Book:BTC</c>.</param>
/// <param name="Messages">Observations.</param>
/// <param name="Gaps">Time gaps larger than the threshold.</param>
/// <param name="OutOfOrder">Observations whose sequence or time went backwards.</param>
/// <param name="Duplicates">Repeated sequence ids.</param>
/// <param name="LargestGap">Largest venue-time gap seen between consecutive messages.</param>
/// <param name="LastTime">Venue time of the last observation (ms since epoch), if the channel has one.</param>
/// <param name="LastSequence">Last sequence id (e.g. trade <c>tid</c>), if the channel has one.</param>
public sealed record StreamGapStats(
    string Stream,
    long Messages,
    long Gaps,
    long OutOfOrder,
    long Duplicates,
    TimeSpan LargestGap,
    long? LastTime,
    long? LastSequence);
