namespace HyperFunctions.Domain.Failover;

/// <summary>Failover:CooldownSeconds and Failover:DailyCap as the policy uses them.</summary>
public sealed record FailoverLimits(TimeSpan Cooldown, int DailyCap)
{
    public static FailoverLimits Default { get; } = new(TimeSpan.FromMinutes(5), 5);
}

/// <summary>
/// What the coordinator remembers for the policy: when the active site last switched (either way) and how
/// many failovers ran on one UTC day.
/// </summary>
public sealed record FailoverCounters(DateTimeOffset? LastSwitchAt, DateOnly? Day, int FailoversThatDay)
{
    public static FailoverCounters None { get; } = new(null, null, 0);

    /// <summary>Failovers that ran on the UTC day of <paramref name="now"/>.</summary>
    public int FailoversOn(DateTimeOffset now) => Day == DateOnly.FromDateTime(now.UtcDateTime) ? FailoversThatDay : 0;

    /// <summary>The counters after a failover that switched the site at <paramref name="at"/>.</summary>
    public FailoverCounters AfterFailover(DateTimeOffset at) =>
        new(at, DateOnly.FromDateTime(at.UtcDateTime), FailoversOn(at) + 1);

    /// <summary>The counters after a failback that switched the site at <paramref name="at"/> (it starts a cooldown but is not counted).</summary>
    public FailoverCounters AfterFailback(DateTimeOffset at) => this with { LastSwitchAt = at };
}

public enum PolicyRefusal
{
    Cooldown,
    DailyCap,
}

/// <summary>The policy's answer. <see cref="ForcedPastCooldown"/>: allowed only because the operator forced it.</summary>
public sealed record PolicyVerdict(bool Allowed, PolicyRefusal? Refusal, string Message, DateTimeOffset? NextAllowedAt, bool ForcedPastCooldown)
{
    public static PolicyVerdict Allow(string message, bool forced = false) => new(true, null, message, null, forced);
}

/// <summary>
/// The anti-flapping rules for a failover (manual or automatic): none within the cooldown after the active
/// site last switched (either way), and at most the daily cap of failovers per UTC day. An operator's
/// <c>force</c> overrides the cooldown only, never the cap. A failback is not limited here: it is manual,
/// and needs the primary's checks healthy.
/// </summary>
public static class FailoverPolicy
{
    public static PolicyVerdict Evaluate(FailoverLimits limits, FailoverCounters counters, DateTimeOffset now, bool force)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(counters);
        var today = counters.FailoversOn(now);
        if (today >= limits.DailyCap)
        {
            var nextDay = new DateTimeOffset(DateOnly.FromDateTime(now.UtcDateTime).AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return new PolicyVerdict(false, PolicyRefusal.DailyCap,
                $"Daily cap reached: {today} failover(s) ran on {now.UtcDateTime:yyyy-MM-dd} (UTC), Failover:DailyCap is {limits.DailyCap}; the next is allowed at {nextDay:O}. force does not override the cap.",
                nextDay, false);
        }
        if (counters.LastSwitchAt is { } last && now < last + limits.Cooldown)
        {
            var until = last + limits.Cooldown;
            if (force)
                return PolicyVerdict.Allow($"Forced past the cooldown (the site switched at {last:O}; the cooldown ran until {until:O}).", forced: true);
            return new PolicyVerdict(false, PolicyRefusal.Cooldown,
                $"Cooldown: the active site switched at {last:O}; Failover:CooldownSeconds is {limits.Cooldown.TotalSeconds:F0}, so the next failover is allowed at {until:O} (an operator may override with force: true).",
                until, false);
        }
        return PolicyVerdict.Allow($"Allowed: {today} of {limits.DailyCap} failover(s) today, no switch within the cooldown.");
    }

    /// <summary>When the cooldown ends (null when no switch was recorded).</summary>
    public static DateTimeOffset? CooldownUntil(FailoverLimits limits, FailoverCounters counters) =>
        counters.LastSwitchAt is { } last ? last + limits.Cooldown : null;
}
