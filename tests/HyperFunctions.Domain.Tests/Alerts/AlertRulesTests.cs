using FsCheck;
using FsCheck.Fluent;
using HyperFunctions.Domain.Alerts;

namespace HyperFunctions.Domain.Tests.Alerts;

public sealed class AlertRulesTests
{
    private const string Key = "check:HeartbeatCheck:WS_HEARTBEAT_LOST";
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly AlertPolicy Policy = new(TimeSpan.FromSeconds(300), TimeSpan.FromSeconds(600));

    private static AlertSignal Signal(bool active, AlertLevel level = AlertLevel.Operations, DateTimeOffset? at = null) =>
        new(Key, level, active, "Heartbeat lost", active ? "no message for 31 s" : "messages flowing", "HeartbeatCheck", at ?? T0);

    private static AlertState Open(AlertLevel level = AlertLevel.Operations) =>
        ((AlertDecision.Changed)AlertRules.OnSignal(null, Signal(true, level), Policy, T0, "a1")).Next;

    [Fact]
    public void The_first_active_signal_opens_the_alert_and_triggers_at_its_level()
    {
        var decision = Assert.IsType<AlertDecision.Changed>(AlertRules.OnSignal(null, Signal(true, AlertLevel.Risk), Policy, T0, "a1"));
        Assert.Equal(AlertStatus.Open, decision.Next.Status);
        Assert.Equal("a1", decision.Next.AlertId);
        Assert.Equal(AlertLevel.Risk, decision.Next.Level);
        Assert.Equal(new AlertNotification(AlertAction.Trigger, AlertLevel.Risk, 1, T0), decision.Notify);
    }

    [Fact]
    public void Repeated_active_signals_within_the_throttle_window_are_duplicates()
    {
        var open = Open();
        for (var s = 10; s < 300; s += 10)
            Assert.IsType<AlertDecision.NoChange>(AlertRules.OnSignal(open, Signal(true), Policy, T0.AddSeconds(s), "x"));
    }

    [Fact]
    public void A_still_active_condition_renotifies_once_per_throttle_window()
    {
        var state = Open();
        var notifications = 0;
        for (var s = 10; s <= 590; s += 10)
        {
            if (AlertRules.OnSignal(state, Signal(true), Policy, T0.AddSeconds(s), "x") is AlertDecision.Changed c)
            {
                Assert.Equal(AlertAction.Renotify, c.Notify!.Action);
                state = c.Next;
                notifications++;
            }
        }
        Assert.Equal(1, notifications); // at 300 s; the next is due at 600 s
        Assert.Equal(T0.AddSeconds(300), state.LastNotifiedAt);
    }

    [Fact]
    public void A_signal_asking_a_higher_level_raises_the_alert_at_once()
    {
        var decision = Assert.IsType<AlertDecision.Changed>(AlertRules.OnSignal(Open(), Signal(true, AlertLevel.EmergencyHalt), Policy, T0.AddSeconds(5), "x"));
        Assert.Equal(AlertLevel.EmergencyHalt, decision.Next.Level);
        Assert.Equal(AlertLevel.Operations, decision.Next.OpenedLevel);
        Assert.Equal(AlertAction.Escalate, decision.Notify!.Action);
        Assert.Equal(2, decision.Notify.Sequence);
    }

    [Fact]
    public void A_signal_asking_a_lower_level_keeps_the_highest_reached()
    {
        var open = Open(AlertLevel.Risk);
        Assert.IsType<AlertDecision.NoChange>(AlertRules.OnSignal(open, Signal(true, AlertLevel.AutomatedRecovery), Policy, T0.AddSeconds(5), "x"));
    }

    [Fact]
    public void An_outage_longer_than_the_escalation_time_escalates_one_level_at_a_time_up_to_4()
    {
        var state = Open(AlertLevel.Operations);
        var levels = new List<AlertLevel>();
        for (var s = 60; s <= 4 * 600; s += 60)
        {
            if (AlertRules.OnTick(state, Policy, T0.AddSeconds(s)) is AlertDecision.Changed c)
            {
                state = c.Next;
                if (c.Notify!.Action == AlertAction.Escalate) levels.Add(c.Next.Level);
            }
        }
        Assert.Equal([AlertLevel.Risk, AlertLevel.EmergencyHalt], levels);
        Assert.Equal(AlertLevel.EmergencyHalt, state.Level);
    }

    [Fact]
    public void An_inactive_signal_resolves_once()
    {
        var decision = Assert.IsType<AlertDecision.Changed>(AlertRules.OnSignal(Open(), Signal(false), Policy, T0.AddSeconds(42), "x"));
        Assert.Equal(AlertStatus.Resolved, decision.Next.Status);
        Assert.Equal(T0.AddSeconds(42), decision.Next.ResolvedAt);
        Assert.Equal(AlertAction.Resolve, decision.Notify!.Action);
        Assert.IsType<AlertDecision.NoChange>(AlertRules.OnSignal(decision.Next, Signal(false), Policy, T0.AddSeconds(52), "x"));
        Assert.IsType<AlertDecision.NoChange>(AlertRules.OnTick(decision.Next, Policy, T0.AddDays(1)));
    }

    [Fact]
    public void An_inactive_signal_for_no_open_alert_does_nothing()
    {
        Assert.IsType<AlertDecision.NoChange>(AlertRules.OnSignal(null, Signal(false), Policy, T0, "x"));
    }

    [Fact]
    public void A_key_that_opens_again_after_a_resolve_is_a_new_alert()
    {
        var resolved = ((AlertDecision.Changed)AlertRules.OnSignal(Open(), Signal(false), Policy, T0.AddSeconds(30), "x")).Next;
        var again = Assert.IsType<AlertDecision.Changed>(AlertRules.OnSignal(resolved, Signal(true), Policy, T0.AddSeconds(40), "a2"));
        Assert.Equal("a2", again.Next.AlertId);
        Assert.Equal(new AlertNotification(AlertAction.Trigger, AlertLevel.Operations, 1, T0.AddSeconds(40)), again.Notify);
    }

    [Fact]
    public void Routing_sends_a_notification_to_its_level_and_a_resolve_to_every_level_the_alert_went_through()
    {
        var routing = new AlertRouting(new Dictionary<AlertLevel, IReadOnlyList<string>>
        {
            [AlertLevel.AutomatedRecovery] = ["log"],
            [AlertLevel.Operations] = ["slack"],
            [AlertLevel.Risk] = ["slack", "mail"],
            [AlertLevel.EmergencyHalt] = ["pager"],
        });
        var open = Open(AlertLevel.Operations);
        Assert.Equal(["slack"], routing.ChannelsFor(open, open.LatestNotification));
        var raised = ((AlertDecision.Changed)AlertRules.OnSignal(open, Signal(true, AlertLevel.Risk), Policy, T0.AddSeconds(1), "x")).Next;
        Assert.Equal(["slack", "mail"], routing.ChannelsFor(raised, raised.LatestNotification));
        var resolved = ((AlertDecision.Changed)AlertRules.OnSignal(raised, Signal(false), Policy, T0.AddSeconds(2), "x")).Next;
        Assert.Equal(["slack", "mail"], routing.ChannelsFor(resolved, resolved.LatestNotification));
        Assert.Empty(AlertRouting.None.ChannelsFor(AlertLevel.EmergencyHalt));
    }

    private static Gen<(bool Active, AlertLevel Level, int Seconds)> Steps { get; } =
        from active in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
        from level in Gen.Elements(Enum.GetValues<AlertLevel>())
        from seconds in Gen.Choose(0, 400)
        select (active, level, seconds);

    [Fact]
    public void Property_notifications_are_throttled_levels_never_fall_and_a_resolve_comes_only_after_an_open()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(Gen.ListOf(Steps).ToArbitrary(), steps =>
        {
            AlertState? state = null;
            var now = T0;
            var id = 0;
            DateTimeOffset? lastReminder = null;
            foreach (var (active, level, seconds) in steps)
            {
                now = now.AddSeconds(seconds);
                var before = state;
                var decision = AlertRules.OnSignal(state, new AlertSignal(Key, level, active, "t", "d", "s", now), Policy, now, $"a{++id}");
                if (decision is not AlertDecision.Changed c) continue;
                var n = c.Notify!;
                switch (n.Action)
                {
                    case AlertAction.Trigger:
                        if (before is { IsOpen: true } || !active) return false;
                        lastReminder = null;
                        break;
                    case AlertAction.Resolve:
                        if (before is not { IsOpen: true } || active) return false;
                        break;
                    case AlertAction.Renotify:
                        if (before is not { IsOpen: true } || now - before.LastNotifiedAt < Policy.Throttle) return false;
                        if (lastReminder is { } r && now - r < Policy.Throttle) return false;
                        lastReminder = now;
                        break;
                    case AlertAction.Escalate:
                        if (before is not { IsOpen: true } || c.Next.Level <= before.Level) return false;
                        break;
                }
                if (before is { IsOpen: true } && c.Next.IsOpen && c.Next.Level < before.Level) return false;
                if (before is { IsOpen: true } && c.Next.AlertId != before.AlertId) return false;
                if (c.Next.Notifications != (before is { IsOpen: true } || n.Action == AlertAction.Resolve ? before!.Notifications + 1 : 1)) return false;
                state = c.Next;
            }
            return true;
        }));
    }
}
