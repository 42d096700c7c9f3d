namespace HyperFunctions.Domain.Reconciliation;

/// <summary>
/// The last accepted venue snapshot: signed size per coin as the venue reported it at <see cref="AsOfMs"/>
/// (the venue's clock, ms). Every fill of the own account at or before that time is inside the snapshot;
/// only fills strictly after it move the local book.
/// </summary>
/// <param name="Source">How it was taken: <see cref="BaselineSources"/>.</param>
/// <param name="ReportId">The report it was adopted from (null for the initial snapshot).</param>
/// <param name="Actor">Who took it: the check's name, or the operator identity that accepted a report.</param>
/// <param name="FillCursor">The keeper's fill cursor when it was taken (key of the last fill stored), for the record only.</param>
public sealed record PositionBaseline(
    IReadOnlyDictionary<string, decimal> Sizes, long AsOfMs, string Source, string? ReportId, string Actor, DateTimeOffset TakenAt, string? FillCursor)
{
    /// <summary>Sizes without zero entries (a closed position is no position), ordinal by coin.</summary>
    public static SortedDictionary<string, decimal> Normalize(IEnumerable<KeyValuePair<string, decimal>> sizes)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        var result = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (coin, size) in sizes)
        {
            var total = (result.TryGetValue(coin, out var known) ? known : 0m) + size;
            if (total == 0m) result.Remove(coin);
            else result[coin] = total;
        }
        return result;
    }
}

/// <summary>How a baseline came to be (stored and shown as these words).</summary>
public static class BaselineSources
{
    /// <summary>The first run found no baseline and took the venue snapshot.</summary>
    public const string Initial = "initial";
    /// <summary>An operator accepted a report (POST /api/reconciliation/{id}/accept).</summary>
    public const string Accepted = "accepted";
    /// <summary>Reconciliation:Mode=Auto adopted the venue after a confirmed drift.</summary>
    public const string Auto = "auto";
}

/// <summary>One fill of the own account as the keeper stored it: <see cref="Key"/> is hash-tid (unique per fill).</summary>
public sealed record BookFill(string Coin, decimal Size, bool IsBuy, long TimeMs, string Key)
{
    /// <summary>Buy adds, sell subtracts (the venue's side "B" is a buy, "A" a sell).</summary>
    public decimal Signed => IsBuy ? Size : -Size;
}

/// <summary>The local position book at a venue time: baseline plus the fills counted.</summary>
/// <param name="LastFillKey">The newest fill counted (null when none).</param>
public sealed record LocalBook(IReadOnlyDictionary<string, decimal> Sizes, int FillsCounted, string? LastFillKey);

public static class PositionBook
{
    /// <summary>
    /// Baseline + every distinct fill (by key) with baseline time &lt; fill time ≤ <paramref name="untilMs"/>
    /// (the venue snapshot's time: a fill the keeper stored after the venue answered is not in that answer
    /// either). Pure and order-free: the same fills in any order, or repeated, give the same book.
    /// </summary>
    public static LocalBook Compute(PositionBaseline baseline, IEnumerable<BookFill> fills, long untilMs)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(fills);
        var counted = fills
            .Where(f => f.TimeMs > baseline.AsOfMs && f.TimeMs <= untilMs)
            .DistinctBy(f => f.Key, StringComparer.Ordinal)
            .OrderBy(f => f.TimeMs).ThenBy(f => f.Key, StringComparer.Ordinal)
            .ToList();
        var sizes = PositionBaseline.Normalize(baseline.Sizes.Concat(counted.Select(f => KeyValuePair.Create(f.Coin, f.Signed))));
        return new LocalBook(sizes, counted.Count, counted.Count == 0 ? null : counted[^1].Key);
    }
}
