namespace HyperFunctions.Hyperliquid.Policies;

/// <summary>
/// Pure per-stream continuity tracking. Where the venue gives a monotonic time (l2Book, bbo) a jump
/// larger than the threshold is a gap and a step back is out of order; where it gives an id (trades
/// <c>tid</c>, which is increasing but not contiguous) only repeats and steps back are detectable.
/// Not thread-safe: one owner.
/// </summary>
public sealed class GapTracker
{
    private readonly Dictionary<string, StreamGapStats> _streams = new(StringComparer.Ordinal);
    private readonly TimeSpan _threshold;

    /// <summary>Creates a tracker with the given time-gap threshold.</summary>
    public GapTracker(TimeSpan threshold)
    {
        _threshold = threshold;
    }

    /// <summary>Records a time-stamped observation (ms since epoch).</summary>
    public GapKind ObserveTime(string stream, long timeMs)
    {
        if (!_streams.TryGetValue(stream, out var s))
        {
            _streams[stream] = new StreamGapStats(stream, 1, 0, 0, 0, TimeSpan.Zero, timeMs, null);
            return GapKind.First;
        }

        var last = s.LastTime ?? timeMs;
        var delta = TimeSpan.FromMilliseconds(timeMs - last);
        GapKind kind;
        if (delta < TimeSpan.Zero)
        {
            kind = GapKind.OutOfOrder;
            s = s with { OutOfOrder = s.OutOfOrder + 1 };
        }
        else
        {
            kind = delta > _threshold ? GapKind.TimeGap : GapKind.None;
            s = s with
            {
                Gaps = s.Gaps + (kind == GapKind.TimeGap ? 1 : 0),
                LargestGap = delta > s.LargestGap ? delta : s.LargestGap,
                LastTime = timeMs,
            };
        }

        _streams[stream] = s with { Messages = s.Messages + 1 };
        return kind;
    }

    /// <summary>Records an observation carrying an increasing (not necessarily contiguous) id.</summary>
    public GapKind ObserveSequence(string stream, long sequence)
    {
        if (!_streams.TryGetValue(stream, out var s) || s.LastSequence is null)
        {
            s ??= new StreamGapStats(stream, 0, 0, 0, 0, TimeSpan.Zero, null, null);
            _streams[stream] = s with { Messages = s.Messages + 1, LastSequence = sequence };
            return GapKind.First;
        }

        GapKind kind;
        if (sequence == s.LastSequence)
        {
            kind = GapKind.Duplicate;
            s = s with { Duplicates = s.Duplicates + 1 };
        }
        else if (sequence < s.LastSequence)
        {
            kind = GapKind.OutOfOrder;
            s = s with { OutOfOrder = s.OutOfOrder + 1 };
        }
        else
        {
            kind = GapKind.None;
            s = s with { LastSequence = sequence };
        }

        _streams[stream] = s with { Messages = s.Messages + 1 };
        return kind;
    }

    /// <summary>A copy of the counters of every stream.</summary>
    public IReadOnlyList<StreamGapStats> Snapshot() => [.. _streams.Values.OrderBy(s => s.Stream, StringComparer.Ordinal)];
}
