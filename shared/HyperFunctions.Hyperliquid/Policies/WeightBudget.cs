namespace HyperFunctions.Hyperliquid.Policies;

/// <summary>
/// Pure client-side weight budget over a sliding window (the venue counts weight per minute), lowered
/// and raised again by AIMD when the venue answers 429:
/// <list type="bullet">
/// <item>Every 429 pauses all requests until its Retry-After (or the minimum pause).</item>
/// <item>Multiplicative decrease, once per signal: a 429 cuts the effective capacity by the penalty
/// factor, down to the floor. 429s that follow without a successful answer in between (retries,
/// requests already in flight) are the same signal and do not cut again.</item>
/// <item>Additive increase: every successful answer to a request sent after the last cut raises the
/// lowered capacity by the recovery step (at most that request's weight, so light requests cannot lift
/// the budget faster than they spend it), up to the nominal capacity.</item>
/// <item>The nominal capacity returns anyway after the penalty duration without a 429.</item>
/// </list>
/// A request is matched to the cut it was sent under by <see cref="Cuts"/>, read when it is sent.
/// Not thread-safe: callers serialise access. Time is supplied by the caller.
/// </summary>
public sealed class WeightBudget
{
    private readonly Queue<(DateTimeOffset At, int Weight)> _entries = new();
    private readonly TimeSpan _window;
    private readonly double _penaltyFactor;
    private readonly TimeSpan _penaltyDuration;
    private int _used;
    private bool _penalised;
    private int _penaltyCapacity;

    // May a 429 cut? True until the first cut, then again once a request sent after the cut succeeds
    // (or the penalty ends). False means the 429 belongs to the signal already acted on.
    private bool _armed = true;
    private DateTimeOffset _penaltyUntil = DateTimeOffset.MinValue;
    private DateTimeOffset _blockedUntil = DateTimeOffset.MinValue;

    /// <summary>Creates a budget.</summary>
    /// <param name="capacity">Nominal weight per window.</param>
    /// <param name="window">The sliding window (one minute at the venue).</param>
    /// <param name="penaltyFactor">Multiplicative decrease per 429 signal, in (0, 1].</param>
    /// <param name="penaltyDuration">After this long without a 429 the nominal capacity returns.</param>
    /// <param name="minimumCapacity">Floor of the lowered capacity (clamped to [1, capacity]).</param>
    /// <param name="recoveryStep">Additive increase per successful answer (0: only the penalty duration restores).</param>
    public WeightBudget(int capacity, TimeSpan window, double penaltyFactor, TimeSpan penaltyDuration, int minimumCapacity, int recoveryStep = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(penaltyFactor, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(penaltyFactor, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(recoveryStep);
        Capacity = capacity;
        _window = window;
        _penaltyFactor = penaltyFactor;
        _penaltyDuration = penaltyDuration;
        MinimumCapacity = Math.Clamp(minimumCapacity, 1, capacity);
        RecoveryStep = recoveryStep;
        _penaltyCapacity = capacity;
    }

    /// <summary>Nominal capacity per window.</summary>
    public int Capacity { get; }

    /// <summary>The floor a cut never goes below.</summary>
    public int MinimumCapacity { get; }

    /// <summary>Additive increase per successful answer.</summary>
    public int RecoveryStep { get; }

    /// <summary>
    /// Cuts so far. Also the generation a request is sent under: read it when sending and pass it back
    /// with the answer, so answers to requests sent before a cut neither cut again nor raise the budget.
    /// </summary>
    public long Cuts { get; private set; }

    /// <summary>Time of the latest cut, if any.</summary>
    public DateTimeOffset? LastCutAt { get; private set; }

    /// <summary>Until when every request is paused after a 429.</summary>
    public DateTimeOffset BlockedUntil => _blockedUntil;

    /// <summary>The capacity in force at <paramref name="now"/> (lowered after 429s).</summary>
    public int EffectiveCapacity(DateTimeOffset now)
    {
        ExpirePenalty(now);
        return _penalised ? _penaltyCapacity : Capacity;
    }

    /// <summary>When the nominal capacity returns at the latest (null when it is in force).</summary>
    public DateTimeOffset? PenaltyUntil(DateTimeOffset now)
    {
        ExpirePenalty(now);
        return _penalised ? _penaltyUntil : null;
    }

    /// <summary>Weight spent inside the window ending at <paramref name="now"/>.</summary>
    public int Used(DateTimeOffset now)
    {
        Prune(now);
        return _used;
    }

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

        // The nominal capacity returns at the end of the penalty: no need to wait past it if that is enough.
        if (_penalised && _used + weight <= Capacity && _penaltyUntil - now < wait)
        {
            wait = _penaltyUntil - now;
        }

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

    /// <summary>Records a 429 to a request sent under the current generation (see <see cref="Cuts"/>).</summary>
    public BudgetCut? OnRateLimited(DateTimeOffset now, TimeSpan? retryAfter, TimeSpan minimumPause) =>
        OnRateLimited(now, retryAfter, minimumPause, Cuts);

    /// <summary>
    /// Records a 429: pauses until Retry-After (or <paramref name="minimumPause"/>), and cuts the capacity
    /// if this 429 is a new signal: no cut yet, or a request sent after the last cut succeeded since, and
    /// this request too was sent after the last cut (<paramref name="sentUnderCuts"/> = <see cref="Cuts"/>
    /// when it was sent). Returns the cut, or null when the 429 belongs to a signal already acted on.
    /// </summary>
    public BudgetCut? OnRateLimited(DateTimeOffset now, TimeSpan? retryAfter, TimeSpan minimumPause, long sentUnderCuts)
    {
        var pause = retryAfter is { } ra && ra > minimumPause ? ra : minimumPause;
        if (now + pause > _blockedUntil)
        {
            _blockedUntil = now + pause;
        }

        ExpirePenalty(now);
        BudgetCut? cut = null;
        if (_armed && sentUnderCuts == Cuts)
        {
            var from = _penalised ? _penaltyCapacity : Capacity;
            var to = Math.Max(MinimumCapacity, (int)(from * _penaltyFactor));
            _penaltyCapacity = Math.Min(from, to);
            _penalised = true;
            _armed = false;
            Cuts++;
            LastCutAt = now;
            cut = new BudgetCut(from, _penaltyCapacity);
        }

        if (_penalised)
        {
            _penaltyUntil = now + _penaltyDuration;
        }

        return cut;
    }

    /// <summary>
    /// Records a successful answer (not a 429, not a 5xx) to a request of <paramref name="weight"/> sent
    /// when <see cref="Cuts"/> was <paramref name="sentUnderCuts"/>. An answer to a request sent after the
    /// last cut re-arms the cut and raises a lowered capacity by the recovery step (at most
    /// <paramref name="weight"/>), up to the nominal capacity. Returns the increase.
    /// </summary>
    public int OnAnswered(DateTimeOffset now, int weight, long sentUnderCuts)
    {
        ExpirePenalty(now);
        if (sentUnderCuts != Cuts)
        {
            return 0; // sent before the last cut: says nothing about the lowered rate
        }

        _armed = true;
        if (!_penalised)
        {
            return 0;
        }

        var before = _penaltyCapacity;
        _penaltyCapacity = Math.Min(Capacity, _penaltyCapacity + Math.Min(RecoveryStep, Math.Max(1, weight)));
        if (_penaltyCapacity >= Capacity)
        {
            _penalised = false;
        }

        return _penaltyCapacity - before;
    }

    private void ExpirePenalty(DateTimeOffset now)
    {
        if (_penalised && now >= _penaltyUntil)
        {
            _penalised = false;
            _penaltyCapacity = Capacity;
            _armed = true;
        }
    }

    private TimeSpan TimeUntilFree(DateTimeOffset now, int needed)
    {
        var freed = 0;
        var last = now;
        foreach (var (at, w) in _entries)
        {
            freed += w;
            last = at;
            if (freed >= needed)
            {
                break;
            }
        }

        // Enough weight has left the window then, or it is empty and the request may go alone.
        var due = last + _window - now;
        return due > TimeSpan.Zero ? due : TimeSpan.FromMilliseconds(1);
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

/// <summary>One multiplicative decrease of the weight budget.</summary>
/// <param name="From">Effective capacity before the cut.</param>
/// <param name="To">Effective capacity after the cut (not below the floor).</param>
public readonly record struct BudgetCut(int From, int To);
