namespace HyperFunctions.Domain.Streaming;

/// <summary>
/// Decides when coalesced facts are written: the newest value per key is kept, and a key is written at
/// most once per interval however often the venue updates it. Storage writes per second are then bounded
/// by keys / interval, not by the message rate. Pure; not thread-safe (the caller holds a lock).
/// </summary>
public sealed class WriteCoalescer<TKey, TValue>(TimeSpan interval) where TKey : notnull
{
    private readonly Dictionary<TKey, TValue> _pending = [];
    private readonly Dictionary<TKey, DateTimeOffset> _lastWritten = [];

    public int PendingCount => _pending.Count;

    /// <summary>Keeps the newest value; an older one pending for the key is replaced.</summary>
    public void Offer(TKey key, TValue value) => _pending[key] = value;

    /// <summary>Takes every pending value whose key was last written an interval ago or more (or never).</summary>
    public IReadOnlyList<KeyValuePair<TKey, TValue>> TakeDue(DateTimeOffset now)
    {
        var due = new List<KeyValuePair<TKey, TValue>>();
        foreach (var (key, value) in _pending)
        {
            if (_lastWritten.TryGetValue(key, out var last) && now - last < interval) continue;
            due.Add(new(key, value));
        }
        foreach (var (key, _) in due)
        {
            _pending.Remove(key);
            _lastWritten[key] = now;
        }
        return due;
    }

    /// <summary>A write failed: offer the values again unless newer ones arrived meanwhile.</summary>
    public void Return(IEnumerable<KeyValuePair<TKey, TValue>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var (key, value) in values)
        {
            _pending.TryAdd(key, value);
            _lastWritten.Remove(key);
        }
    }
}
