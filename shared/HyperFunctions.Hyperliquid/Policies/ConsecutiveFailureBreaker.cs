namespace HyperFunctions.Hyperliquid.Policies;

/// <summary>
/// Pure circuit breaker: opens after <c>threshold</c> consecutive failures, stays open for the cool-off,
/// then allows one trial (half-open); a failed trial reopens it, a success closes it.
/// The caller supplies the time; the class is not thread-safe (one owner).
/// </summary>
public sealed class ConsecutiveFailureBreaker
{
    private readonly int _threshold;
    private readonly TimeSpan _coolOff;
    private DateTimeOffset _openedAt;

    /// <summary>Creates a breaker.</summary>
    public ConsecutiveFailureBreaker(int threshold, TimeSpan coolOff)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(coolOff, TimeSpan.Zero);
        _threshold = threshold;
        _coolOff = coolOff;
    }

    /// <summary>Current state (Open turns HalfOpen only through <see cref="TryAllow"/>).</summary>
    public CircuitState State { get; private set; } = CircuitState.Closed;

    /// <summary>Failures since the last success.</summary>
    public int ConsecutiveFailures { get; private set; }

    /// <summary>How many times the breaker opened.</summary>
    public long TimesOpened { get; private set; }

    /// <summary>When the breaker last opened, if it is open or half-open.</summary>
    public DateTimeOffset? OpenedAt => State == CircuitState.Closed ? null : _openedAt;

    /// <summary>Time left before a trial is allowed (zero when closed or due).</summary>
    public TimeSpan RemainingCoolOff(DateTimeOffset now)
    {
        if (State != CircuitState.Open)
        {
            return TimeSpan.Zero;
        }

        var left = _openedAt + _coolOff - now;
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <summary>Whether an attempt may be made now; moves Open to HalfOpen when the cool-off is over.</summary>
    public bool TryAllow(DateTimeOffset now)
    {
        if (State == CircuitState.Open && RemainingCoolOff(now) == TimeSpan.Zero)
        {
            State = CircuitState.HalfOpen;
        }

        return State != CircuitState.Open;
    }

    /// <summary>Records a successful attempt: closes the breaker.</summary>
    public void RecordSuccess()
    {
        ConsecutiveFailures = 0;
        State = CircuitState.Closed;
    }

    /// <summary>Records a failed attempt; returns true when this failure opened the breaker.</summary>
    public bool RecordFailure(DateTimeOffset now)
    {
        ConsecutiveFailures++;
        if (State == CircuitState.HalfOpen || (State == CircuitState.Closed && ConsecutiveFailures >= _threshold))
        {
            State = CircuitState.Open;
            _openedAt = now;
            TimesOpened++;
            return true;
        }

        return false;
    }
}
