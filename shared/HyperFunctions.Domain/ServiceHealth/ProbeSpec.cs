namespace HyperFunctions.Domain.ServiceHealth;

/// <summary>
/// What the state machine and the views need to know about one configured probe.
/// </summary>
/// <param name="Target">What it looks at, for people (e.g. <c>POST http://127.0.0.1:5050/info</c>); never holds a secret (see <see cref="ProbeText.Scrub"/>).</param>
/// <param name="Site">The failover site the probe belongs to; null: this process's own.</param>
public sealed record ProbeSpec(string Name, ProbeKind Kind, bool Critical, int FailureThreshold, TimeSpan Interval, TimeSpan Timeout, string Target, string? Site = null)
{
    /// <summary>The procedures' defaults: interval 10 s, timeout 5 s, unhealthy after 3 consecutive failures.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);
    public const int DefaultFailureThreshold = 3;
}

/// <summary>One probe run: when it started, how long it took, and why it failed (null when it succeeded).</summary>
public sealed record ProbeOutcome(DateTimeOffset At, TimeSpan Duration, string? Error)
{
    public bool Succeeded => Error is null;

    public static ProbeOutcome Success(DateTimeOffset at, TimeSpan duration) => new(at, duration, null);

    public static ProbeOutcome Failure(DateTimeOffset at, TimeSpan duration, string error) =>
        new(at, duration, string.IsNullOrWhiteSpace(error) ? "failed (no detail)" : error);
}
