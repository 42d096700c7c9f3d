using FsCheck;
using FsCheck.Fluent;
using HyperFunctions.Domain.Failover;

namespace HyperFunctions.Domain.Tests.Failover;

/// <summary>The anti-flapping policy, pure: cooldown, daily cap per UTC day, force over the cooldown only.</summary>
public sealed class FailoverPolicyTests
{
    private static readonly Config Thorough = Config.QuickThrowOnFailure.WithMaxTest(300);
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 22, 0, 0, TimeSpan.Zero);
    private static readonly FailoverLimits Limits = new(TimeSpan.FromMinutes(5), 3);

    /// <summary>A day and a half of attempts: each (minutes after the previous, forced, and whether a failback follows at once).</summary>
    private static Gen<(int Gap, bool Force, bool Back)[]> Attempts { get; } =
        (from gap in Gen.Choose(0, 120)
         from force in Gen.Elements(false, false, true)
         from back in Gen.Elements(true, false)
         select (gap, force, back)).ArrayOf().Where(a => a.Length is > 0 and <= 60);

    /// <summary>Plays the attempts through the policy, applying each allowed one; returns (time, forced) of the failovers that ran.</summary>
    private static List<(DateTimeOffset At, bool Forced)> Play((int Gap, bool Force, bool Back)[] attempts)
    {
        var counters = FailoverCounters.None;
        var now = Start;
        var ran = new List<(DateTimeOffset, bool)>();
        foreach (var (gap, force, back) in attempts)
        {
            now += TimeSpan.FromMinutes(gap);
            var verdict = FailoverPolicy.Evaluate(Limits, counters, now, force);
            if (!verdict.Allowed) continue;
            ran.Add((now, verdict.ForcedPastCooldown));
            counters = counters.AfterFailover(now);
            if (back) counters = counters.AfterFailback(now); // an immediate failback starts the cooldown again
        }
        return ran;
    }

    [Fact]
    public void Never_more_failovers_than_the_cap_on_one_UTC_day_whatever_is_forced()
    {
        Check.One(Thorough, Prop.ForAll(Attempts.ToArbitrary(), attempts =>
            Play(attempts).GroupBy(r => r.At.UtcDateTime.Date).All(day => day.Count() <= Limits.DailyCap)));
    }

    [Fact]
    public void Never_two_failovers_within_the_cooldown_unless_the_second_was_forced()
    {
        Check.One(Thorough, Prop.ForAll(Attempts.ToArbitrary(), attempts =>
        {
            var ran = Play(attempts);
            return ran.Zip(ran.Skip(1)).All(p => p.Second.At - p.First.At >= Limits.Cooldown || p.Second.Forced);
        }));
    }

    [Fact]
    public void Cooldown_names_when_the_next_is_allowed_and_force_overrides_it()
    {
        var counters = FailoverCounters.None.AfterFailover(Start);
        var refused = FailoverPolicy.Evaluate(Limits, counters, Start.AddMinutes(2), force: false);
        Assert.Equal((false, PolicyRefusal.Cooldown, Start.AddMinutes(5)), (refused.Allowed, refused.Refusal, refused.NextAllowedAt));
        Assert.Contains("force: true", refused.Message, StringComparison.Ordinal);
        var forced = FailoverPolicy.Evaluate(Limits, counters, Start.AddMinutes(2), force: true);
        Assert.True(forced.Allowed && forced.ForcedPastCooldown);
        var later = FailoverPolicy.Evaluate(Limits, counters, Start.AddMinutes(5), force: false);
        Assert.True(later.Allowed && !later.ForcedPastCooldown);
    }

    [Fact]
    public void The_cap_counts_per_UTC_day_resets_at_midnight_and_is_not_forced_past()
    {
        var counters = FailoverCounters.None;
        for (var i = 0; i < 3; i++) counters = counters.AfterFailover(Start.AddMinutes(10 * i)); // 22:00, 22:10, 22:20
        var capped = FailoverPolicy.Evaluate(Limits, counters, Start.AddMinutes(60), force: true);
        Assert.Equal((false, PolicyRefusal.DailyCap), (capped.Allowed, capped.Refusal));
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero), capped.NextAllowedAt);
        Assert.Contains("force does not override the cap", capped.Message, StringComparison.Ordinal);
        Assert.True(FailoverPolicy.Evaluate(Limits, counters, new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero), force: false).Allowed);
        Assert.Equal(1, counters.AfterFailover(new DateTimeOffset(2026, 11, 24, 0, 1, 0, TimeSpan.Zero)).FailoversThatDay);
    }

    [Fact]
    public void A_failback_starts_the_cooldown_but_is_not_counted()
    {
        var counters = FailoverCounters.None.AfterFailover(Start).AfterFailback(Start.AddMinutes(10));
        Assert.Equal(1, counters.FailoversOn(Start.AddMinutes(10)));
        var verdict = FailoverPolicy.Evaluate(Limits, counters, Start.AddMinutes(12), force: false);
        Assert.Equal((PolicyRefusal.Cooldown, Start.AddMinutes(15)), (verdict.Refusal, verdict.NextAllowedAt));
    }
}
