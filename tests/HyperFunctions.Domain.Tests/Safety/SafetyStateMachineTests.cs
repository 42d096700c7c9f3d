using HyperFunctions.Domain.Safety;

namespace HyperFunctions.Domain.Tests.Safety;

public sealed class SafetyStateMachineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static SafetyState Apply(SafetyState? state, SafetyCommand command, int atSeconds = 0)
    {
        var decision = SafetyStateMachine.Decide(state, command, SafetyPolicy.Default, T0.AddSeconds(atSeconds), "cfg");
        return Assert.IsType<SafetyDecision.Transition>(decision).Next;
    }

    private static SafetyState Booted() => Apply(null, new Boot(SafetyMode.ArmedSafe, "system", "boot"));

    private static SafetyState Live() => Apply(Booted(), new Promote("op", "go"));

    [Fact]
    public void Boot_creates_version_one_in_ARMED_SAFE_with_reason_BOOT()
    {
        var decision = Assert.IsType<SafetyDecision.Transition>(SafetyStateMachine.Decide(null, new Boot(SafetyMode.ArmedSafe, "system", "boot"), SafetyPolicy.Default, T0, "cfg"));
        Assert.Equal((SafetyMode.ArmedSafe, ReasonCode.Boot, 1L, "cfg"), (decision.Next.Mode, decision.Next.Reason, decision.Next.Version, decision.Next.ConfigHash));
        Assert.Null(decision.Record.From);
    }

    [Fact]
    public void Boot_into_live_is_rejected_unless_explicitly_allowed()
    {
        Assert.Equal("START_MODE_NOT_ALLOWED", Assert.IsType<SafetyDecision.Rejected>(SafetyStateMachine.Decide(null, new Boot(SafetyMode.ArmedLive, "system", "boot"), SafetyPolicy.Default, T0, "cfg")).Code);
        var allowed = Assert.IsType<SafetyDecision.Transition>(SafetyStateMachine.Decide(null, new Boot(SafetyMode.ArmedLive, "system", "boot", AllowStartLive: true), SafetyPolicy.Default, T0, "cfg"));
        Assert.Equal((SafetyMode.ArmedLive, ReasonCode.Boot, 1L), (allowed.Next.Mode, allowed.Next.Reason, allowed.Next.Version));
    }

    [Fact]
    public void A_restart_with_the_same_configuration_changes_nothing_in_any_mode()
    {
        var halted = Apply(Booted(), new OperatorHalt(ReasonCode.ManualHalt, "op", "stop"));
        var degraded = Apply(Live(), new RaiseCondition(ReasonCode.WsHeartbeatLost, SafetyMode.ArmedSafe, "ws", "gap"));
        foreach (var state in new[] { Booted(), Live(), halted, degraded })
        {
            Assert.IsType<SafetyDecision.NoChange>(SafetyStateMachine.Decide(state, new Boot(SafetyMode.ArmedSafe, "system", "boot"), SafetyPolicy.Default, T0, "cfg"));
            Assert.IsType<SafetyDecision.NoChange>(SafetyStateMachine.Decide(state, new Boot(SafetyMode.Halt, "system", "boot"), SafetyPolicy.Default, T0, "cfg"));
        }
    }

    [Fact]
    public void A_new_configuration_is_one_CONFIG_CHANGED_transition_that_lowers_live_to_the_start_mode()
    {
        var decision = Assert.IsType<SafetyDecision.Transition>(SafetyStateMachine.Decide(Live(), new Boot(SafetyMode.ArmedSafe, "system", "boot"), SafetyPolicy.Default, T0, "cfg-2"));
        Assert.Equal((SafetyMode.ArmedSafe, ReasonCode.ConfigChanged, "cfg-2"), (decision.Next.Mode, decision.Next.Reason, decision.Next.ConfigHash));
        Assert.Equal((SafetyMode.ArmedLive, SafetyMode.ArmedSafe, ReasonCode.ConfigChanged, "boot"), (decision.Record.From, decision.Record.To, decision.Record.Reason, decision.Record.Kind));
        Assert.Contains("from cfg to cfg-2", decision.Record.Message, StringComparison.Ordinal);
        // The next process with the same new configuration changes nothing.
        Assert.IsType<SafetyDecision.NoChange>(SafetyStateMachine.Decide(decision.Next, new Boot(SafetyMode.ArmedSafe, "system", "boot"), SafetyPolicy.Default, T0, "cfg-2"));
    }

    [Fact]
    public void A_new_configuration_never_raises_the_mode_nor_hides_the_reason_that_holds_it()
    {
        var halted = Apply(Booted(), new OperatorHalt(ReasonCode.KillSwitch, "op", "stop"));
        var decision = Assert.IsType<SafetyDecision.Transition>(SafetyStateMachine.Decide(halted, new Boot(SafetyMode.ArmedSafe, "system", "boot"), SafetyPolicy.Default, T0, "cfg-2"));
        Assert.Equal((SafetyMode.Halt, ReasonCode.KillSwitch, "cfg-2"), (decision.Next.Mode, decision.Next.Reason, decision.Next.ConfigHash));
        Assert.Equal((SafetyMode.Halt, SafetyMode.Halt, ReasonCode.ConfigChanged), (decision.Record.From, decision.Record.To, decision.Record.Reason));

        var toHalt = Assert.IsType<SafetyDecision.Transition>(SafetyStateMachine.Decide(Booted(), new Boot(SafetyMode.Halt, "system", "boot"), SafetyPolicy.Default, T0, "cfg-2"));
        Assert.Equal((SafetyMode.Halt, ReasonCode.ConfigChanged), (toHalt.Next.Mode, toHalt.Next.Reason));
    }

    [Fact]
    public void An_allowed_live_start_applies_only_from_a_clean_ARMED_SAFE_and_only_on_a_new_configuration()
    {
        var liveStart = new Boot(SafetyMode.ArmedLive, "system", "boot", AllowStartLive: true);
        var raised = Assert.IsType<SafetyDecision.Transition>(SafetyStateMachine.Decide(Booted(), liveStart, SafetyPolicy.Default, T0, "cfg-2"));
        Assert.Equal((SafetyMode.ArmedLive, ReasonCode.ConfigChanged), (raised.Next.Mode, raised.Next.Reason));
        Assert.IsType<SafetyDecision.NoChange>(SafetyStateMachine.Decide(Booted(), liveStart, SafetyPolicy.Default, T0, "cfg"));

        var degraded = Apply(Booted(), new RaiseCondition(ReasonCode.MarketDataStale, SafetyMode.ArmedSafe, "check", "stale"));
        var halted = Apply(Booted(), new OperatorHalt(ReasonCode.ManualHalt, "op", "stop"));
        foreach (var state in new[] { degraded, halted })
        {
            var stay = Assert.IsType<SafetyDecision.Transition>(SafetyStateMachine.Decide(state, liveStart, SafetyPolicy.Default, T0, "cfg-2"));
            Assert.Equal((state.Mode, state.Reason), (stay.Next.Mode, stay.Next.Reason));
        }
    }

    [Fact]
    public void Only_a_process_start_changes_the_configuration_hash_the_state_carries()
    {
        var decision = Assert.IsType<SafetyDecision.Transition>(SafetyStateMachine.Decide(Booted(), new Promote("op", "go"), SafetyPolicy.Default, T0, "older-process"));
        Assert.Equal(("cfg", "older-process"), (decision.Next.ConfigHash, decision.Record.ConfigHash));
    }

    [Fact]
    public void Promote_needs_ARMED_SAFE_and_no_active_conditions()
    {
        Assert.Equal(SafetyMode.ArmedLive, Live().Mode);
        Assert.Equal(ReasonCode.ManualPromote, Live().Reason);
        var halted = Apply(Booted(), new OperatorHalt(ReasonCode.ManualHalt, "op", "stop"));
        Assert.Equal("PROMOTE_FROM_HALT", Assert.IsType<SafetyDecision.Rejected>(SafetyStateMachine.Decide(halted, new Promote("op", "go"), SafetyPolicy.Default, T0, "cfg")).Code);
        var degraded = Apply(Booted(), new RaiseCondition(ReasonCode.MarketDataStale, SafetyMode.ArmedSafe, "check", "stale"));
        Assert.Equal("CONDITIONS_ACTIVE", Assert.IsType<SafetyDecision.Rejected>(SafetyStateMachine.Decide(degraded, new Promote("op", "go"), SafetyPolicy.Default, T0, "cfg")).Code);
    }

    [Fact]
    public void Raising_the_same_condition_twice_writes_nothing_the_second_time()
    {
        var once = Apply(Live(), new RaiseCondition(ReasonCode.MarketDataStale, SafetyMode.ArmedSafe, "check", "stale"));
        Assert.Equal((SafetyMode.ArmedSafe, ReasonCode.MarketDataStale), (once.Mode, once.Reason));
        Assert.IsType<SafetyDecision.NoChange>(SafetyStateMachine.Decide(once, new RaiseCondition(ReasonCode.MarketDataStale, SafetyMode.ArmedSafe, "check", "stale"), SafetyPolicy.Default, T0, "cfg"));
    }

    [Fact]
    public void Storage_halt_recovers_to_SAFE_only_after_the_configured_healthy_time()
    {
        var halted = Apply(Live(), new RaiseCondition(ReasonCode.StorageUnavailable, SafetyMode.Halt, "StorageHealthCheck", "down"));
        Assert.Equal(SafetyMode.Halt, halted.Mode);
        Assert.IsType<SafetyDecision.NoChange>(SafetyStateMachine.Decide(halted, new ClearCondition(ReasonCode.StorageUnavailable, TimeSpan.FromSeconds(10), "StorageHealthCheck", "up"), SafetyPolicy.Default, T0, "cfg"));
        var recovered = Apply(halted, new ClearCondition(ReasonCode.StorageUnavailable, TimeSpan.FromSeconds(30), "StorageHealthCheck", "up"));
        Assert.Equal(SafetyMode.ArmedSafe, recovered.Mode);
        Assert.Empty(recovered.Conditions);
    }

    [Fact]
    public void Recovery_of_one_halt_condition_keeps_HALT_while_another_holds()
    {
        var s = Apply(Booted(), new RaiseCondition(ReasonCode.StorageUnavailable, SafetyMode.Halt, "c1", "down"));
        s = Apply(s, new RaiseCondition(ReasonCode.ReconcileCritical, SafetyMode.Halt, "c2", "critical"));
        s = Apply(s, new ClearCondition(ReasonCode.StorageUnavailable, TimeSpan.FromMinutes(5), "c1", "up"));
        Assert.Equal((SafetyMode.Halt, ReasonCode.ReconcileCritical), (s.Mode, s.Reason));
    }

    [Fact]
    public void A_halt_not_on_the_allow_list_stays_until_an_operator_resets()
    {
        var s = Apply(Booted(), new RaiseCondition(ReasonCode.ReconcileCritical, SafetyMode.Halt, "recon", "critical"));
        s = Apply(s, new ClearCondition(ReasonCode.ReconcileCritical, TimeSpan.FromHours(1), "recon", "fine"));
        Assert.Equal(SafetyMode.Halt, s.Mode);
        Assert.Empty(s.Conditions);
        s = Apply(s, new OperatorReset(SafetyMode.ArmedSafe, ReasonCode.ManualReset, false, "op", "checked"));
        Assert.Equal(SafetyMode.ArmedSafe, s.Mode);
    }

    [Fact]
    public void Manual_halt_is_never_lifted_by_automatic_recovery()
    {
        var s = Apply(Booted(), new RaiseCondition(ReasonCode.StorageUnavailable, SafetyMode.Halt, "c", "down"));
        s = Apply(s, new OperatorHalt(ReasonCode.ManualHalt, "op", "hands off"));
        s = Apply(s, new ClearCondition(ReasonCode.StorageUnavailable, TimeSpan.FromHours(1), "c", "up"));
        Assert.Equal((SafetyMode.Halt, ReasonCode.ManualHalt), (s.Mode, s.Reason));
    }

    [Fact]
    public void Self_clearing_reason_returns_to_LIVE_only_when_it_interrupted_LIVE()
    {
        var fromLive = Apply(Live(), new RaiseCondition(ReasonCode.WsHeartbeatLost, SafetyMode.ArmedSafe, "ws", "gap"));
        Assert.IsType<SafetyDecision.NoChange>(SafetyStateMachine.Decide(fromLive, new ClearCondition(ReasonCode.WsHeartbeatLost, TimeSpan.FromMinutes(1), "ws", "ok"), SafetyPolicy.Default, T0, "cfg"));
        Assert.Equal(SafetyMode.ArmedLive, Apply(fromLive, new ClearCondition(ReasonCode.WsHeartbeatLost, TimeSpan.FromMinutes(5), "ws", "ok")).Mode);

        var fromSafe = Apply(Booted(), new RaiseCondition(ReasonCode.WsHeartbeatLost, SafetyMode.ArmedSafe, "ws", "gap"));
        Assert.Equal(SafetyMode.ArmedSafe, Apply(fromSafe, new ClearCondition(ReasonCode.WsHeartbeatLost, TimeSpan.FromMinutes(5), "ws", "ok")).Mode);
    }

    [Fact]
    public void Reset_from_a_non_HALT_mode_needs_allowNonHalt()
    {
        var live = Live();
        var rejected = Assert.IsType<SafetyDecision.Rejected>(SafetyStateMachine.Decide(live, new OperatorReset(SafetyMode.ArmedSafe, ReasonCode.ManualReset, false, "op", "x"), SafetyPolicy.Default, T0, "cfg"));
        Assert.Equal("RESET_REQUIRES_ALLOW_NON_HALT", rejected.Code);
        Assert.Equal(SafetyMode.Halt, Apply(live, new OperatorReset(SafetyMode.Halt, ReasonCode.ManualReset, true, "op", "x")).Mode);
    }

    [Fact]
    public void Automatic_checks_cannot_use_operator_reasons()
    {
        Assert.IsType<SafetyDecision.Rejected>(SafetyStateMachine.Decide(Booted(), new RaiseCondition(ReasonCode.ManualHalt, SafetyMode.Halt, "c", "x"), SafetyPolicy.Default, T0, "cfg"));
    }

    [Theory]
    [InlineData(SafetyMode.ArmedLive, false, true)]
    [InlineData(SafetyMode.ArmedSafe, false, false)]
    [InlineData(SafetyMode.ArmedSafe, true, true)]
    [InlineData(SafetyMode.Halt, true, false)]
    public void Gate_admits_places_per_mode(SafetyMode mode, bool reduceOnly, bool admitted) =>
        Assert.Equal(admitted, OrderGate.Evaluate(mode, new GateRequest(OrderAction.Place, reduceOnly)).Admitted);

    [Fact]
    public void Gate_always_admits_cancels() =>
        Assert.True(OrderGate.Evaluate(SafetyMode.Halt, new GateRequest(OrderAction.Cancel, false)).Admitted);

    [Theory]
    [InlineData(SafetyMode.ArmedLive, "ARMED_LIVE")]
    [InlineData(SafetyMode.ArmedSafe, "ARMED_SAFE")]
    [InlineData(SafetyMode.Halt, "HALT")]
    public void Modes_have_runbook_wire_names(SafetyMode mode, string wire)
    {
        Assert.Equal(wire, mode.ToWire());
        Assert.Equal(mode, WireNames<SafetyMode>.Parse(wire));
    }

    [Fact]
    public void Reason_codes_from_the_design_all_exist()
    {
        string[] required = ["SCHEMA_VERSION_MISMATCH", "STORAGE_UNAVAILABLE", "EXECUTION_ADAPTER_NOT_IMPLEMENTED", "EXECUTION_RETRY_BUDGET_EXCEEDED",
            "RECONCILE_DRIFT", "RECONCILE_CRITICAL", "BACKFILL_WINDOW_EXCEEDED", "MAINTENANCE_SKIP", "WS_HEARTBEAT_LOST", "MARKET_DATA_STALE",
            "FUNDING_STALE", "RATE_LIMITED", "ERROR_RATE_HIGH", "FAILOVER_IN_PROGRESS", "MANUAL_HALT", "MANUAL_PROMOTE", "KILL_SWITCH", "BOOT"];
        Assert.All(required, r => Assert.True(WireNames<ReasonCode>.TryParse(r, out _), r));
    }
}
