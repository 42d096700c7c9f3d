namespace HyperFunctions.Domain.Alerts;

/// <summary>The timing of alert rules (Alerts:ThrottleSeconds, Alerts:EscalateAfterSeconds).</summary>
/// <param name="Throttle">A condition that stays active re-notifies at most once per this window.</param>
/// <param name="EscalateAfter">An alert open this long at one level (since it opened or last went up) moves up one level, to at most 4.</param>
public sealed record AlertPolicy(TimeSpan Throttle, TimeSpan EscalateAfter)
{
    public static readonly TimeSpan DefaultThrottle = TimeSpan.FromSeconds(300);
    public static readonly TimeSpan DefaultEscalateAfter = TimeSpan.FromSeconds(300);

    public static AlertPolicy Default { get; } = new(DefaultThrottle, DefaultEscalateAfter);
}
