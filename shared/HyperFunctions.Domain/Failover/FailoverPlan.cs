namespace HyperFunctions.Domain.Failover;

/// <summary>
/// One configured hook. <paramref name="Runs"/>: the run kinds it belongs to (empty means both).
/// <paramref name="Settings"/>: the kind's own settings (e.g. url, mode), already validated by its kind.
/// </summary>
public sealed record HookSpec(string Name, string Kind, TimeSpan Timeout, HookFailurePolicy OnFailure, IReadOnlySet<FailoverKind> Runs, IReadOnlyDictionary<string, string> Settings)
{
    public bool RunsOn(FailoverKind kind) => Runs.Count == 0 || Runs.Contains(kind);
}

/// <summary>One step of a run: the hook, its place in the order and its phase around the switch.</summary>
public sealed record PlanStep(int Index, HookSpec Hook, HookPhase Phase)
{
    public string Name => Hook.Name;

    /// <summary>The switch step is never continued past: if it fails, nothing switched, and the run rolls back.</summary>
    public HookFailurePolicy OnFailure => Phase == HookPhase.Switch ? HookFailurePolicy.AbortAndRollBack : Hook.OnFailure;
}

/// <summary>Builds a run's ordered steps from the configured hook list.</summary>
public static class FailoverPlan
{
    /// <summary>The kind name of the one hook that switches the active site.</summary>
    public const string SwitchKind = "switchSite";

    /// <summary>
    /// The hooks of <paramref name="kind"/> in configured order, each marked pre / switch / post. Exactly one
    /// switchSite hook must be among them (configuration validation guarantees it; this throws otherwise).
    /// </summary>
    public static IReadOnlyList<PlanStep> Build(FailoverKind kind, IReadOnlyList<HookSpec> hooks)
    {
        ArgumentNullException.ThrowIfNull(hooks);
        var selected = hooks.Where(h => h.RunsOn(kind)).ToList();
        var switches = selected.Count(h => h.Kind == SwitchKind);
        if (switches != 1)
            throw new InvalidOperationException($"A {kind.ToWire()} plan needs exactly one {SwitchKind} hook; the configured list gives {switches}.");
        var steps = new List<PlanStep>(selected.Count);
        var phase = HookPhase.Pre;
        for (var i = 0; i < selected.Count; i++)
        {
            var hook = selected[i];
            if (hook.Kind == SwitchKind)
            {
                steps.Add(new PlanStep(i, hook, HookPhase.Switch));
                phase = HookPhase.Post;
            }
            else
            {
                steps.Add(new PlanStep(i, hook, phase));
            }
        }
        return steps;
    }

    /// <summary>
    /// The steps a rollback undoes, newest first: every completed step before <paramref name="completed"/>
    /// (the count of steps that ran), in reverse order.
    /// </summary>
    public static IReadOnlyList<PlanStep> RollbackOrder(IReadOnlyList<PlanStep> steps, int completed)
    {
        ArgumentNullException.ThrowIfNull(steps);
        return steps.Take(Math.Clamp(completed, 0, steps.Count)).Reverse().ToList();
    }
}
