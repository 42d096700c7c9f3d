using System.Collections.Immutable;
using HyperFunctions.Domain.Alerts;
using HyperFunctions.Domain.Checks;
using HyperFunctions.Domain.Safety;

namespace HyperFunctions.Domain.Tests.Checks;

public sealed class VerdictPlanTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private const string Check = "HeartbeatCheck";

    private static SafetyState Ledger(params SafetyCondition[] conditions) =>
        new(SafetyMode.ArmedSafe, conditions.Length > 0 ? conditions[0].Reason : ReasonCode.Boot, "m", "a", T0.AddHours(-1), T0.AddHours(-1), 3, "cfg", [.. conditions]);

    private static CheckVerdict Verdict(bool holds, DateTimeOffset? healthySince = null, params CheckNotice[] notices) =>
        CheckVerdict.Of(Check, holds ? CheckHealth.Unhealthy : CheckHealth.Healthy, "s",
            [new ConditionVerdict(ReasonCode.WsHeartbeatLost, holds, SafetyMode.ArmedSafe, AlertLevel.Operations, "msg", healthySince)], notices);

    [Fact]
    public void A_held_condition_is_raised_and_alerted_active_on_every_run()
    {
        var plan = VerdictPlan.For(Verdict(true), null, Ledger(), T0);
        var raise = Assert.IsType<RaiseCondition>(Assert.Single(plan.Commands));
        Assert.Equal((ReasonCode.WsHeartbeatLost, SafetyMode.ArmedSafe, Check), (raise.Reason, raise.Level, raise.Actor));
        var alert = Assert.Single(plan.Alerts);
        Assert.Equal(("check:HeartbeatCheck:WS_HEARTBEAT_LOST", true, AlertLevel.Operations), (alert.Key, alert.Active, alert.Level));
    }

    [Fact]
    public void A_healthy_condition_the_ledger_does_not_have_does_nothing()
    {
        var plan = VerdictPlan.For(Verdict(false), null, Ledger(), T0);
        Assert.Empty(plan.Commands);
        Assert.Empty(plan.Alerts);
    }

    [Fact]
    public void A_clear_measures_health_from_the_last_time_the_check_saw_it_hold()
    {
        var raisedAt = T0.AddMinutes(-10);
        var previous = CheckResult.Next(null, Verdict(true), T0.AddMinutes(-2), "timer", TimeSpan.Zero, "p");
        var plan = VerdictPlan.For(Verdict(false), previous, Ledger(new SafetyCondition(ReasonCode.WsHeartbeatLost, SafetyMode.ArmedSafe, raisedAt, SafetyMode.ArmedLive)), T0);
        var clear = Assert.IsType<ClearCondition>(Assert.Single(plan.Commands));
        Assert.Equal(TimeSpan.FromMinutes(2), clear.HealthyFor);
        var resolve = Assert.Single(plan.Alerts);
        Assert.False(resolve.Active);
    }

    [Fact]
    public void A_check_lower_bound_on_healthy_since_wins_when_later()
    {
        var ledger = Ledger(new SafetyCondition(ReasonCode.WsHeartbeatLost, SafetyMode.ArmedSafe, T0.AddMinutes(-10), SafetyMode.ArmedLive));
        var clear = Assert.IsType<ClearCondition>(Assert.Single(VerdictPlan.For(Verdict(false, healthySince: T0), null, ledger, T0).Commands));
        Assert.Equal(TimeSpan.Zero, clear.HealthyFor);
    }

    [Fact]
    public void Notices_alert_while_active_and_resolve_once_when_they_end_or_vanish()
    {
        var on = new CheckNotice("rest-fallback", true, AlertLevel.AutomatedRecovery, "t", "d");
        var first = CheckResult.Next(null, Verdict(false, null, on), T0, "timer", TimeSpan.Zero, "p");
        Assert.Contains(VerdictPlan.For(Verdict(false, null, on), null, Ledger(), T0).Alerts, a => a.Key == "check:HeartbeatCheck:rest-fallback" && a.Active);

        var vanished = VerdictPlan.For(Verdict(false), first, Ledger(), T0.AddSeconds(10));
        Assert.Contains(vanished.Alerts, a => a.Key == "check:HeartbeatCheck:rest-fallback" && !a.Active);

        var quiet = CheckResult.Next(first, Verdict(false, null, on with { Active = false }), T0.AddSeconds(10), "timer", TimeSpan.Zero, "p");
        Assert.Empty(VerdictPlan.For(Verdict(false, null, on with { Active = false }), quiet, Ledger(), T0.AddSeconds(20)).Alerts);
    }

    [Fact]
    public void The_result_keeps_when_a_condition_last_held_and_counts_unhealthy_runs()
    {
        var r1 = CheckResult.Next(null, Verdict(true), T0, "timer", TimeSpan.FromMilliseconds(3), "p");
        var r2 = CheckResult.Next(r1, Verdict(true), T0.AddSeconds(10), "timer", TimeSpan.Zero, "p");
        var r3 = CheckResult.Next(r2, Verdict(false), T0.AddSeconds(20), "manual", TimeSpan.Zero, "p");
        Assert.Equal(2, r2.ConsecutiveUnhealthy);
        Assert.Equal(0, r3.ConsecutiveUnhealthy);
        Assert.Equal(T0.AddSeconds(10), r3.Find(ReasonCode.WsHeartbeatLost)!.LastHeldAt);
        Assert.Equal(T0.AddSeconds(10), r3.LastUnhealthyAt);
        Assert.Equal(T0.AddSeconds(20), r3.LastHealthyAt);
        Assert.Equal(3, r1.DurationMs);
    }
}
