using FsCheck;
using FsCheck.Fluent;
using HyperFunctions.Domain.Safety;

namespace HyperFunctions.Domain.Tests.Safety;

/// <summary>Random command sequences covering every command kind, reason and mode.</summary>
internal static class SafetyGenerators
{
    private static readonly ReasonCode[] AutomaticReasons = Enum.GetValues<ReasonCode>().Where(r => !r.IsOperatorOnly()).ToArray();
    private static readonly ReasonCode[] AllReasons = Enum.GetValues<ReasonCode>();

    public static Gen<SafetyCommand> Automatic { get; } = Gen.OneOf(
        from reason in Gen.Elements(AutomaticReasons)
        from level in Gen.Elements(SafetyMode.ArmedSafe, SafetyMode.Halt)
        select (SafetyCommand)new RaiseCondition(reason, level, "check", "raised"),
        from reason in Gen.Elements(AutomaticReasons)
        from seconds in Gen.Choose(0, 900)
        select (SafetyCommand)new ClearCondition(reason, TimeSpan.FromSeconds(seconds), "check", "cleared"));

    /// <summary>The keeper's recorded maintenance skip: a deliberate, configured lift (not an automatic check's).</summary>
    public static Gen<SafetyCommand> System { get; } =
        from span in Gen.Choose(0, 86_400)
        select (SafetyCommand)new MaintenanceSkip(SkipFrom, SkipFrom.AddSeconds(span), SkipFrom.AddSeconds(span), "stream-keeper", "skip");

    private static readonly DateTimeOffset SkipFrom = new(2025, 12, 1, 0, 0, 0, TimeSpan.Zero);

    public static Gen<SafetyCommand> Operator { get; } = Gen.OneOf(
        Gen.Constant((SafetyCommand)new Promote("operator", "promote")),
        from reason in Gen.Elements(AllReasons)
        select (SafetyCommand)new OperatorHalt(reason, "operator", "halt"),
        from target in Gen.Elements(Enum.GetValues<SafetyMode>())
        from allow in ArbMap.Default.GeneratorFor<bool>()
        select (SafetyCommand)new OperatorReset(target, ReasonCode.ManualReset, allow, "operator", "reset"),
        from start in Gen.Elements(SafetyMode.ArmedSafe, SafetyMode.Halt)
        select (SafetyCommand)new Boot(start, "system", "boot"));

    public static Gen<SafetyCommand> Any { get; } = Gen.Frequency((3, Automatic), (2, Operator), (1, System));

    public static Gen<SafetyCommand[]> Sequences(Gen<SafetyCommand> each) => each.ArrayOf().Select(a => a.Take(60).ToArray());

    /// <summary>Runs a sequence from a fresh boot, returning every state reached and every history row.</summary>
    public static (List<SafetyState> States, List<SafetyTransition> History) Run(IEnumerable<SafetyCommand> commands, SafetyMode startMode = SafetyMode.ArmedSafe)
    {
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var history = new List<SafetyTransition>();
        var states = new List<SafetyState>();
        SafetyState? state = null;
        foreach (var command in commands.Prepend(new Boot(startMode, "system", "boot")))
        {
            now = now.AddSeconds(7);
            if (SafetyStateMachine.Decide(state, command, SafetyPolicy.Default, now, "hash") is SafetyDecision.Transition t)
            {
                state = t.Next;
                history.Add(t.Record);
                states.Add(state);
            }
        }
        return (states, history);
    }
}
