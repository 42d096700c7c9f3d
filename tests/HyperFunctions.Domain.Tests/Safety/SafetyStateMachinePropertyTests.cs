using FsCheck;
using FsCheck.Fluent;
using HyperFunctions.Domain.Safety;

namespace HyperFunctions.Domain.Tests.Safety;

public sealed class SafetyStateMachinePropertyTests
{
    private static readonly Config Thorough = Config.QuickThrowOnFailure.WithMaxTest(500);
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static Gen<SafetyState> ReachableStates { get; } =
        SafetyGenerators.Sequences(SafetyGenerators.Any)
            .Select(cmds => SafetyGenerators.Run(cmds).States.Last());

    [Fact]
    public void No_automatic_signal_ever_raises_the_mode()
    {
        var gen = from state in ReachableStates
                  from command in SafetyGenerators.Automatic
                  select (state, command);
        Check.One(Thorough, Prop.ForAll(gen.ToArbitrary(), pair =>
        {
            var (state, command) = pair;
            var decision = SafetyStateMachine.Decide(state, command, SafetyPolicy.Default, Now, "hash");
            if (decision is not SafetyDecision.Transition t) return true;
            var raised = state.Mode.IsMoreRestrictiveThan(t.Next.Mode);
            // The only automatic rises are the policy's: HALT→SAFE recovery and self-clearing SAFE→LIVE.
            return !raised || command is ClearCondition clear && IsAllowedRecovery(state, t.Next, clear);
        }));
    }

    [Fact]
    public void A_raised_condition_never_raises_the_mode()
    {
        var gen = from state in ReachableStates
                  from command in SafetyGenerators.Automatic
                  where command is RaiseCondition
                  select (state, command);
        Check.One(Thorough, Prop.ForAll(gen.ToArbitrary(), pair =>
        {
            var decision = SafetyStateMachine.Decide(pair.state, pair.command, SafetyPolicy.Default, Now, "hash");
            return decision is not SafetyDecision.Transition t || !pair.state.Mode.IsMoreRestrictiveThan(t.Next.Mode);
        }));
    }

    [Fact]
    public void A_process_start_never_raises_the_mode_and_changes_state_only_for_a_new_configuration()
    {
        var gen = from state in ReachableStates
                  from start in Gen.Elements(SafetyMode.ArmedSafe, SafetyMode.Halt)
                  from hash in Gen.Elements("hash", "other-hash")
                  select (state, start, hash);
        Check.One(Thorough, Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var decision = SafetyStateMachine.Decide(t.state, new Boot(t.start, "system", "boot"), SafetyPolicy.Default, Now, t.hash);
            if (t.hash == t.state.ConfigHash) return decision is SafetyDecision.NoChange;
            return decision is SafetyDecision.Transition tr
                && !t.state.Mode.IsMoreRestrictiveThan(tr.Next.Mode)
                && tr.Record.Reason == ReasonCode.ConfigChanged
                && tr.Next.ConfigHash == t.hash
                && tr.Next.Conditions.SequenceEqual(t.state.Conditions);
        }));
    }

    [Fact]
    public void Automatic_commands_alone_never_reach_ARMED_LIVE_from_a_boot()
    {
        // Self-clearing only returns to the mode a condition interrupted; a boot never starts LIVE.
        Check.One(Thorough, Prop.ForAll(SafetyGenerators.Sequences(SafetyGenerators.Automatic).ToArbitrary(), commands =>
            SafetyGenerators.Run(commands).States.All(s => s.Mode != SafetyMode.ArmedLive)));
    }

    [Fact]
    public void Mode_never_exceeds_the_most_restrictive_active_condition()
    {
        Check.One(Thorough, Prop.ForAll(SafetyGenerators.Sequences(SafetyGenerators.Any).ToArbitrary(), commands =>
            SafetyGenerators.Run(commands).States.All(s =>
                s.Conditions.All(c => !c.Level.IsMoreRestrictiveThan(s.Mode)))));
    }

    [Fact]
    public void History_versions_are_contiguous_and_match_the_state()
    {
        Check.One(Thorough, Prop.ForAll(SafetyGenerators.Sequences(SafetyGenerators.Any).ToArbitrary(), commands =>
        {
            var (states, history) = SafetyGenerators.Run(commands);
            var contiguous = history.Select((h, i) => h.Version == i + 1).All(x => x);
            var chained = history.Zip(history.Skip(1)).All(p => p.Second.From == p.First.To);
            return contiguous && chained && states.Last().Version == history.Count && states.Last().Mode == history.Last().To;
        }));
    }

    [Fact]
    public void The_gate_never_admits_a_position_increasing_order_outside_ARMED_LIVE()
    {
        var gen = from mode in Gen.Elements(Enum.GetValues<SafetyMode>())
                  from action in Gen.Elements(Enum.GetValues<OrderAction>())
                  from reduceOnly in ArbMap.Default.GeneratorFor<bool>()
                  select (mode, request: new GateRequest(action, reduceOnly));
        Check.One(Thorough, Prop.ForAll(gen.ToArbitrary(), pair =>
        {
            var decision = OrderGate.Evaluate(pair.mode, pair.request);
            var increasesPosition = pair.request is { Action: OrderAction.Place, ReduceOnly: false };
            var anyPlaceInHalt = pair.mode == SafetyMode.Halt && pair.request.Action == OrderAction.Place;
            return !(decision.Admitted && ((increasesPosition && pair.mode != SafetyMode.ArmedLive) || anyPlaceInHalt));
        }));
    }

    private static bool IsAllowedRecovery(SafetyState before, SafetyState after, ClearCondition clear)
    {
        if (before.Mode == SafetyMode.Halt && after.Mode == SafetyMode.ArmedSafe)
            return SafetyPolicy.Default.AutoRecoverFromHalt.TryGetValue(clear.Reason, out var need) && clear.HealthyFor >= need;
        if (before.Mode == SafetyMode.ArmedSafe && after.Mode == SafetyMode.ArmedLive)
            return SafetyPolicy.Default.SelfClearing.TryGetValue(clear.Reason, out var need)
                && clear.HealthyFor >= need
                && before.FindCondition(clear.Reason)?.ModeBefore == SafetyMode.ArmedLive;
        return false;
    }
}
