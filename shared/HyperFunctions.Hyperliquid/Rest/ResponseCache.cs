using System.Collections.Concurrent;

namespace HyperFunctions.Hyperliquid.Rest;

/// <summary>
/// Last good answer per request kind and scope (coin, user, user+order id), with the time it arrived,
/// for the cached-data fallback. Process-wide singleton.
/// </summary>
public sealed class ResponseCache(TimeProvider time)
{
    private readonly ConcurrentDictionary<(InfoRequestKind Kind, string Scope), Entry> _entries = new();
    private readonly ConcurrentDictionary<InfoRequestKind, Entry> _latest = new();

    /// <summary>Stores a good answer.</summary>
    public void Store(InfoRequestKind kind, string scope, object value)
    {
        var entry = new Entry(value, time.GetUtcNow());
        _entries[(kind, scope)] = entry;
        _latest[kind] = entry;
    }

    /// <summary>The last good answer for the kind and scope, and its age.</summary>
    public bool TryGet<T>(InfoRequestKind kind, string scope, out T? value, out TimeSpan age) =>
        Read(_entries.TryGetValue((kind, scope), out var e) ? e : null, out value, out age);

    /// <summary>The most recent good answer of the kind, whatever its scope, and its age.</summary>
    public bool TryGet<T>(InfoRequestKind kind, out T? value, out TimeSpan age) =>
        Read(_latest.TryGetValue(kind, out var e) ? e : null, out value, out age);

    private bool Read<T>(Entry? entry, out T? value, out TimeSpan age)
    {
        if (entry?.Value is T typed)
        {
            value = typed;
            age = time.GetUtcNow() - entry.At;
            return true;
        }

        value = default;
        age = TimeSpan.Zero;
        return false;
    }

    private sealed record Entry(object Value, DateTimeOffset At);
}
