using System.Collections.Frozen;
using FsCheck;
using FsCheck.Fluent;
using HyperFunctions.Domain.Safety;

namespace HyperFunctions.Domain.Tests.Safety;

/// <summary>HALT BACKFILL_WINDOW_EXCEEDED lifts by itself only through a recorded maintenance skip, to ARMED_SAFE.</summary>
public sealed class MaintenanceSkipTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Config Thorough = Config.QuickThrowOnFailure.WithMaxTest(500);

    private static SafetyDecision Decide(SafetyState? state, SafetyCommand command, SafetyPolicy? policy = null) =>
        SafetyStateMachine.Decide(state, command, policy ?? SafetyPolicy.Default, T0, "cfg");

    private static SafetyState Apply(SafetyState? state, SafetyCommand command, SafetyPolicy? policy = null) =>
        Assert.IsType<SafetyDecision.Transition>(Decide(state, command, policy)).Next;

    private static SafetyState Booted() => Apply(null, new Boot(SafetyMode.ArmedSafe, "system", "boot"));

    private static SafetyState HaltedByGap(SafetyState? from = null) =>
        Apply(from ?? Booted(), new RaiseCondition(ReasonCode.BackfillWindowExceeded, SafetyMode.Halt, "stream-keeper", "gap"));

    private static MaintenanceSkip Skip() => new(T0.AddHours(-5), T0, T0, "stream-keeper", "maintenance");

    [Fact]
    public void A_skip_lifts_HALT_BACKFILL_WINDOW_EXCEEDED_to_ARMED_SAFE_and_records_the_span()
    {
        var decision = Assert.IsType<SafetyDecision.Transition>(Decide(HaltedByGap(), Skip()));
        Assert.Equal((SafetyMode.ArmedSafe, ReasonCode.MaintenanceSkip), (decision.Next.Mode, decision.Next.Reason));
        Assert.DoesNotContain(decision.Next.Conditions, c => c.Reason == ReasonCode.BackfillWindowExceeded);
        Assert.Equal(("maintenanceSkip", SafetyMode.Halt, SafetyMode.ArmedSafe), (decision.Record.Kind, decision.Record.From!.Value, decision.Record.To));
        Assert.Contains(T0.AddHours(-5).ToString("O"), decision.Record.Message, StringComparison.Ordinal);
        Assert.Contains(T0.ToString("O"), decision.Record.Message, StringComparison.Ordinal);
        // It stays ARMED_SAFE until an operator promotes: the promote is allowed, nothing automatic lifts it.
        Assert.Equal(SafetyMode.ArmedLive, Apply(decision.Next, new Promote("op", "checked the gap")).Mode);
    }

    [Fact]
    public void Clearing_the_condition_never_lifts_the_HALT_even_when_allow_listed()
    {
        var policy = SafetyPolicy.Default with
        {
            AutoRecoverFromHalt = new Dictionary<ReasonCode, TimeSpan> { [ReasonCode.BackfillWindowExceeded] = TimeSpan.Zero }.ToFrozenDictionary(),
        };
        var decision = Decide(HaltedByGap(), new ClearCondition(ReasonCode.BackfillWindowExceeded, TimeSpan.FromDays(1), "check", "healthy"), policy);
        Assert.IsType<SafetyDecision.NoChange>(decision);
    }

    [Fact]
    public void A_skip_from_ARMED_LIVE_lowers_to_ARMED_SAFE()
    {
        var live = Apply(Booted(), new Promote("op", "go"));
        var next = Apply(live, Skip());
        Assert.Equal((SafetyMode.ArmedSafe, ReasonCode.MaintenanceSkip), (next.Mode, next.Reason));
    }

    [Fact]
    public void A_skip_never_lifts_a_HALT_held_by_another_reason()
    {
        var killed = Apply(HaltedByGap(), new OperatorHalt(ReasonCode.KillSwitch, "op", "kill"));
        var next = Apply(killed, Skip());
        Assert.Equal((SafetyMode.Halt, ReasonCode.KillSwitch), (next.Mode, next.Reason));
        Assert.DoesNotContain(next.Conditions, c => c.Reason == ReasonCode.BackfillWindowExceeded);

        var storageToo = Apply(HaltedByGap(), new RaiseCondition(ReasonCode.StorageUnavailable, SafetyMode.Halt, "probe", "lost"));
        var stillHalted = Apply(storageToo, Skip());
        Assert.Equal(SafetyMode.Halt, stillHalted.Mode);
    }

    [Fact]
    public void A_skip_with_its_end_before_its_start_is_refused()
    {
        var decision = Decide(HaltedByGap(), new MaintenanceSkip(T0, T0.AddHours(-1), T0, "stream-keeper", "bad"));
        Assert.Equal("INVALID_SPAN", Assert.IsType<SafetyDecision.Rejected>(decision).Code);
    }

    [Fact]
    public void Property_HALT_BACKFILL_WINDOW_EXCEEDED_leaves_HALT_only_by_a_maintenance_skip_or_an_operator_reset()
    {
        Check.One(Thorough, Prop.ForAll(SafetyGenerators.Sequences(SafetyGenerators.Any).ToArbitrary(), commands =>
        {
            var (states, history) = SafetyGenerators.Run(commands);
            for (var i = 0; i + 1 < states.Count; i++)
            {
                var (before, after, record) = (states[i], states[i + 1], history[i + 1]);
                if (before.Mode == SafetyMode.Halt && before.Reason == ReasonCode.BackfillWindowExceeded && after.Mode != SafetyMode.Halt
                    && record.Kind is not ("maintenanceSkip" or "reset"))
                    return false;
            }
            return true;
        }));
    }

    [Fact]
    public void Property_a_maintenance_skip_never_leaves_the_instance_ARMED_LIVE()
    {
        Check.One(Thorough, Prop.ForAll(SafetyGenerators.Sequences(SafetyGenerators.Any).ToArbitrary(), commands =>
        {
            var (states, history) = SafetyGenerators.Run(commands);
            return history.Select((h, i) => (h, i)).Where(x => x.h.Kind == "maintenanceSkip").All(x => states[x.i].Mode != SafetyMode.ArmedLive);
        }));
    }
}
