using HyperFunctions.Domain.Failover;

namespace HyperFunctions.Domain.Tests.Failover;

/// <summary>The coordinator's transitions and plan, pure.</summary>
public sealed class FailoverTransitionTests
{
    private static HookSpec Hook(string name, string kind, HookFailurePolicy onFailure = HookFailurePolicy.AbortAndRollBack, params FailoverKind[] runs) =>
        new(name, kind, TimeSpan.FromSeconds(10), onFailure, runs.ToHashSet(), new Dictionary<string, string>());

    [Theory]
    [InlineData(FailoverState.Primary, FailoverKind.Failover, true)]
    [InlineData(FailoverState.FailedOver, FailoverKind.Failback, true)]
    [InlineData(FailoverState.Primary, FailoverKind.Failback, false)]
    [InlineData(FailoverState.FailedOver, FailoverKind.Failover, false)]
    [InlineData(FailoverState.FailingOver, FailoverKind.Failover, false)]
    [InlineData(FailoverState.FailingBack, FailoverKind.Failback, false)]
    public void A_run_starts_only_from_its_origin_state(FailoverState state, FailoverKind kind, bool allowed) =>
        Assert.Equal(allowed, FailoverTransitions.RefusalToStart(state, kind) is null);

    [Fact]
    public void The_cycle_is_PRIMARY_FAILING_OVER_FAILED_OVER_FAILING_BACK_PRIMARY()
    {
        var state = FailoverState.Primary;
        var seen = new List<FailoverState> { state };
        foreach (var kind in new[] { FailoverKind.Failover, FailoverKind.Failback })
        {
            Assert.Equal(state, FailoverTransitions.Origin(kind));
            seen.Add(FailoverTransitions.InProgress(kind));
            state = FailoverTransitions.Settle(kind, switched: true);
            seen.Add(state);
        }
        Assert.Equal([FailoverState.Primary, FailoverState.FailingOver, FailoverState.FailedOver, FailoverState.FailingBack, FailoverState.Primary], seen);
    }

    [Theory]
    [InlineData(FailoverState.FailingOver, false, RecoveryAction.RollBack, FailoverState.Primary)]
    [InlineData(FailoverState.FailingOver, true, RecoveryAction.Resume, FailoverState.FailedOver)]
    [InlineData(FailoverState.FailingBack, false, RecoveryAction.RollBack, FailoverState.FailedOver)]
    [InlineData(FailoverState.FailingBack, true, RecoveryAction.Resume, FailoverState.Primary)]
    public void A_dead_run_resumes_once_switched_and_rolls_back_otherwise_never_half_switched(FailoverState state, bool switched, RecoveryAction action, FailoverState settles)
    {
        Assert.Equal(action, FailoverTransitions.Recover(state, switched));
        // Resume keeps the switch; a rollback undoes it: either way the settled state matches the active site.
        Assert.Equal(settles, FailoverTransitions.Settle(FailoverTransitions.KindOf(state), action == RecoveryAction.Resume));
        Assert.Throws<ArgumentOutOfRangeException>(() => FailoverTransitions.Recover(FailoverState.Primary, switched));
    }

    [Fact]
    public void The_plan_keeps_the_configured_order_marks_phases_and_filters_by_run_kind()
    {
        var hooks = new[]
        {
            Hook("safe", "setSafetyMode"), Hook("cancel", "cancelAll", HookFailurePolicy.Continue), Hook("drain", "http", HookFailurePolicy.Continue, FailoverKind.Failback),
            Hook("switch", FailoverPlan.SwitchKind), Hook("verify", "runChecks"), Hook("notify", "http", HookFailurePolicy.Continue, FailoverKind.Failover),
        };
        var failover = FailoverPlan.Build(FailoverKind.Failover, hooks);
        Assert.Equal(["safe:Pre", "cancel:Pre", "switch:Switch", "verify:Post", "notify:Post"], failover.Select(s => $"{s.Name}:{s.Phase}"));
        Assert.Equal(["safe", "cancel", "drain", "switch", "verify"], FailoverPlan.Build(FailoverKind.Failback, hooks).Select(s => s.Name));
        Assert.Equal(["switch", "cancel", "safe"], FailoverPlan.RollbackOrder(failover, 3).Select(s => s.Name));
        Assert.Throws<InvalidOperationException>(() => FailoverPlan.Build(FailoverKind.Failover, [Hook("safe", "setSafetyMode")]));
    }

    [Fact]
    public void The_switch_step_always_aborts_and_rolls_back_on_failure()
    {
        var step = Assert.Single(FailoverPlan.Build(FailoverKind.Failover, [Hook("switch", FailoverPlan.SwitchKind, HookFailurePolicy.Continue)]));
        Assert.Equal(HookFailurePolicy.AbortAndRollBack, step.OnFailure);
    }
}
