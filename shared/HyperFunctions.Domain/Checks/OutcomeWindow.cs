namespace HyperFunctions.Domain.Checks;

/// <summary>
/// Requests and errors over a sliding window, in fixed buckets so memory stays bounded (window / bucket
/// entries) whatever the request rate. Not thread-safe: the owner locks.
/// </summary>
public sealed class OutcomeWindow(TimeSpan window, TimeSpan bucket)
{
    private readonly List<Bucket> _buckets = [];
    private readonly long _bucketTicks = bucket > TimeSpan.Zero ? bucket.Ticks : throw new ArgumentOutOfRangeException(nameof(bucket));

    public TimeSpan Window => window;

    public void Record(DateTimeOffset at, bool error, long count = 1)
    {
        var slot = at.UtcTicks / _bucketTicks;
        Trim(at);
        if (_buckets.Count == 0 || _buckets[^1].Slot < slot) _buckets.Add(new Bucket(slot));
        var target = _buckets.FindLast(b => b.Slot <= slot) ?? _buckets[0]; // a late measurement lands in its bucket or the oldest kept
        target.Requests += count;
        if (error) target.Errors += count;
    }

    /// <summary>Requests and errors recorded within the window ending at <paramref name="now"/>.</summary>
    public (long Requests, long Errors) Totals(DateTimeOffset now)
    {
        Trim(now);
        long requests = 0, errors = 0;
        foreach (var b in _buckets) { requests += b.Requests; errors += b.Errors; }
        return (requests, errors);
    }

    private void Trim(DateTimeOffset now)
    {
        var oldest = (now - window).UtcTicks / _bucketTicks;
        var expired = _buckets.FindIndex(b => b.Slot > oldest);
        _buckets.RemoveRange(0, expired < 0 ? _buckets.Count : expired);
    }

    private sealed class Bucket(long slot)
    {
        public long Slot { get; } = slot;
        public long Requests { get; set; }
        public long Errors { get; set; }
    }
}
