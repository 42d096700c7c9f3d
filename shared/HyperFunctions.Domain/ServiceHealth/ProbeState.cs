namespace HyperFunctions.Domain.ServiceHealth;

/// <summary>PENDING (not run yet), HEALTHY, FAILING (failed, below its threshold: still healthy) or UNHEALTHY.</summary>
public enum ProbeStatus
{
    Pending,
    Healthy,
    Failing,
    Unhealthy,
}

/// <summary>
/// One probe's state, immutable; <see cref="Record"/> folds a run into the next state. A probe starts
/// healthy (no evidence against it; status PENDING), turns unhealthy only after
/// <see cref="ProbeSpec.FailureThreshold"/> consecutive failures (the threshold is the retry: a probe never
/// retries inside a run), and is healthy again after one success.
/// </summary>
public sealed record ProbeState(
    ProbeSpec Spec,
    bool Healthy,
    int ConsecutiveFailures,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    DateTimeOffset? LastSuccess,
    TimeSpan? LastDuration,
    DateTimeOffset? LastCheckedAt,
    DateTimeOffset? UnhealthySince,
    long Runs)
{
    public static ProbeState Initial(ProbeSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new(spec, Healthy: true, 0, null, null, null, null, null, null, 0);
    }

    public string Name => Spec.Name;

    public ProbeStatus Status => LastCheckedAt is null ? ProbeStatus.Pending
        : !Healthy ? ProbeStatus.Unhealthy
        : ConsecutiveFailures > 0 ? ProbeStatus.Failing
        : ProbeStatus.Healthy;

    public ProbeState Record(ProbeOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Succeeded)
        {
            return this with
            {
                Healthy = true,
                ConsecutiveFailures = 0,
                LastSuccess = outcome.At,
                LastDuration = outcome.Duration,
                LastCheckedAt = outcome.At,
                UnhealthySince = null,
                Runs = Runs + 1,
            };
        }
        var failures = ConsecutiveFailures + 1;
        var healthy = failures < Math.Max(1, Spec.FailureThreshold);
        return this with
        {
            Healthy = healthy,
            ConsecutiveFailures = failures,
            LastError = outcome.Error,
            LastErrorAt = outcome.At,
            LastDuration = outcome.Duration,
            LastCheckedAt = outcome.At,
            UnhealthySince = healthy ? null : UnhealthySince ?? outcome.At,
            Runs = Runs + 1,
        };
    }

    /// <summary>True when <paramref name="next"/> changed the healthy flag (a story worth one log line).</summary>
    public bool FlippedTo(ProbeState next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return next.Healthy != Healthy;
    }
}
