namespace HyperFunctions.Hyperliquid.Policies;

/// <summary>
/// Pure per-stream continuity tracking. Where the venue gives a monotonic time (l2Book, bbo) a jump
/// larger than the threshold is a gap and a step back is out of order; where it gives an id (trades
/// <c>tid</c>, which is an id, not a contiguous sequence) only repeats and steps back in time are
/// detectable.
/// Not thread-safe: one owner.
/// </summary>
public sealed class GapTracker
{
    private readonly Dictionary<string, StreamGapStats> _streams = new(StringComparer.Ordinal);
    private const int RecentIdCapacity = 4096;
    private readonly Dictionary<string, RecentIds> _recentIds = new(StringComparer.Ordinal);
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

    /// <summary>
    /// Records a batch of trades: a tid already seen recently is a duplicate (e.g. replayed after a
    /// reconnect); a batch whose latest time is older than the stream's last time is out of order.
    /// Trades are sparse by nature, so no time gap is inferred from them.
    /// </summary>
    public GapKind ObserveTrades(string stream, IReadOnlyList<long> tids, long latestTimeMs)
    {
        ArgumentNullException.ThrowIfNull(tids);
        if (!_recentIds.TryGetValue(stream, out var recent))
        {
            recent = new RecentIds(RecentIdCapacity);
            _recentIds[stream] = recent;
        }

        var duplicates = 0;
        foreach (var tid in tids)
        {
            if (!recent.Add(tid))
            {
                duplicates++;
            }
        }

        var first = !_streams.TryGetValue(stream, out var s);
        s ??= new StreamGapStats(stream, 0, 0, 0, 0, TimeSpan.Zero, null, null);
        var kind = first ? GapKind.First : GapKind.None;
        if (duplicates > 0)
        {
            kind = GapKind.Duplicate;
            s = s with { Duplicates = s.Duplicates + duplicates };
        }
        else if (s.LastTime is { } last && latestTimeMs < last)
        {
            kind = GapKind.OutOfOrder;
            s = s with { OutOfOrder = s.OutOfOrder + 1 };
        }

        _streams[stream] = s with
        {
            Messages = s.Messages + 1,
            LastTime = Math.Max(latestTimeMs, s.LastTime ?? long.MinValue),
            LastSequence = tids.Count > 0 ? tids[^1] : s.LastSequence,
        };
        return kind;
    }

    /// <summary>A copy of the counters of every stream.</summary>
    public IReadOnlyList<StreamGapStats> Snapshot() => [.. _streams.Values.OrderBy(s => s.Stream, StringComparer.Ordinal)];

    /// <summary>Bounded set of the most recent ids (FIFO eviction).</summary>
    private sealed class RecentIds(int capacity)
    {
        private readonly HashSet<long> _set = [];
        private readonly Queue<long> _order = new();

        public bool Add(long id)
        {
            if (!_set.Add(id))
            {
                return false;
            }

            _order.Enqueue(id);
            if (_order.Count > capacity)
            {
                _set.Remove(_order.Dequeue());
            }

            return true;
        }
    }
}
