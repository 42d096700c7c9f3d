namespace HyperFunctions.Hyperliquid.Policies;

/// <summary>
/// Pure client-side weight budget over a sliding window (the venue counts weight per minute).
/// On a 429 the effective capacity is cut multiplicatively (at most once per minimum pause, since a
/// burst of 429s answers requests already in flight) and all requests pause until the Retry-After (or
/// the minimum pause); the full capacity returns after a penalty period without a 429.
/// Not thread-safe: callers serialise access. Time is supplied by the caller.
/// </summary>
public sealed class WeightBudget
{
    private readonly Queue<(DateTimeOffset At, int Weight)> _entries = new();
    private readonly TimeSpan _window;
    private readonly double _penaltyFactor;
    private readonly TimeSpan _penaltyDuration;
    private readonly int _minimumCapacity;
    private int _used;
    private int _penaltyCapacity;
    private DateTimeOffset _penaltyUntil = DateTimeOffset.MinValue;
    private DateTimeOffset _blockedUntil = DateTimeOffset.MinValue;
    private DateTimeOffset _lastCutAt = DateTimeOffset.MinValue;

    /// <summary>Creates a budget.</summary>
    public WeightBudget(int capacity, TimeSpan window, double penaltyFactor, TimeSpan penaltyDuration, int minimumCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(penaltyFactor, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(penaltyFactor, 1);
        Capacity = capacity;
        _window = window;
        _penaltyFactor = penaltyFactor;
        _penaltyDuration = penaltyDuration;
        _minimumCapacity = Math.Clamp(minimumCapacity, 1, capacity);
        _penaltyCapacity = capacity;
    }

    /// <summary>Nominal capacity per window.</summary>
    public int Capacity { get; }

    /// <summary>The capacity in force at <paramref name="now"/> (lowered after 429s).</summary>
    public int EffectiveCapacity(DateTimeOffset now) => now < _penaltyUntil ? _penaltyCapacity : Capacity;

    /// <summary>Weight spent inside the window ending at <paramref name="now"/>.</summary>
    public int Used(DateTimeOffset now)
    {
        Prune(now);
        return _used;
    }

    /// <summary>Until when every request is paused after a 429.</summary>
    public DateTimeOffset BlockedUntil => _blockedUntil;

    /// <summary>
    /// Reserves <paramref name="weight"/> if the budget allows it now; otherwise returns false and the
    /// earliest time worth trying again in <paramref name="wait"/>.
    /// </summary>
    public bool TryAcquire(DateTimeOffset now, int weight, out TimeSpan wait)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(weight);
        Prune(now);
        if (now < _blockedUntil)
        {
            wait = _blockedUntil - now;
            return false;
        }

        var capacity = EffectiveCapacity(now);

        // A request heavier than the whole capacity may go alone, or it could never go.
        if (_used + weight <= capacity || _used == 0)
        {
            Charge(now, weight);
            wait = TimeSpan.Zero;
            return true;
        }

        wait = TimeUntilFree(now, _used + weight - capacity);
        return false;
    }

    /// <summary>Records weight unconditionally (e.g. the per-item weight learned from an answer).</summary>
    public void Charge(DateTimeOffset now, int weight)
    {
        if (weight <= 0)
        {
            return;
        }

        _entries.Enqueue((now, weight));
        _used += weight;
    }

    /// <summary>Records a 429: pause until Retry-After (or <paramref name="minimumPause"/>) and cut capacity.</summary>
    public void OnRateLimited(DateTimeOffset now, TimeSpan? retryAfter, TimeSpan minimumPause)
    {
        var pause = retryAfter is { } ra && ra > minimumPause ? ra : minimumPause;
        if (now + pause > _blockedUntil)
        {
            _blockedUntil = now + pause;
        }

        // 429s that arrive within one pause answer requests already in flight: one signal, one cut.
        if (now >= _lastCutAt + minimumPause || _lastCutAt == DateTimeOffset.MinValue)
        {
            var current = EffectiveCapacity(now);
            _penaltyCapacity = Math.Max(_minimumCapacity, (int)(current * _penaltyFactor));
            _lastCutAt = now;
        }

        _penaltyUntil = now + _penaltyDuration;
    }

    private TimeSpan TimeUntilFree(DateTimeOffset now, int needed)
    {
        var freed = 0;
        foreach (var (at, w) in _entries)
        {
            freed += w;
            if (freed >= needed)
            {
                var due = at + _window - now;
                return due > TimeSpan.Zero ? due : TimeSpan.FromMilliseconds(1);
            }
        }

        return _window;
    }

    private void Prune(DateTimeOffset now)
    {
        while (_entries.TryPeek(out var e) && e.At + _window <= now)
        {
            _entries.Dequeue();
            _used -= e.Weight;
        }
    }
}
