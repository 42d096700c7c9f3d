namespace HyperFunctions.Domain.Failover;

/// <summary>
/// The coordinator's allowed transitions, in one place a reader can check against the runbook:
/// PRIMARY → FAILING_OVER → FAILED_OVER → FAILING_BACK → PRIMARY; an in-progress state rolls back to
/// where its run started, or (once the active site has switched) completes.
/// </summary>
public static class FailoverTransitions
{
    public static bool IsInProgress(FailoverState state) => state is FailoverState.FailingOver or FailoverState.FailingBack;

    /// <summary>The settled state a run of <paramref name="kind"/> starts from.</summary>
    public static FailoverState Origin(FailoverKind kind) => kind == FailoverKind.Failover ? FailoverState.Primary : FailoverState.FailedOver;

    /// <summary>The state while a run of <paramref name="kind"/> holds the coordinator.</summary>
    public static FailoverState InProgress(FailoverKind kind) => kind == FailoverKind.Failover ? FailoverState.FailingOver : FailoverState.FailingBack;

    /// <summary>The settled state a successful run of <paramref name="kind"/> ends in.</summary>
    public static FailoverState Target(FailoverKind kind) => kind == FailoverKind.Failover ? FailoverState.FailedOver : FailoverState.Primary;

    /// <summary>The kind of run an in-progress state belongs to.</summary>
    public static FailoverKind KindOf(FailoverState inProgress) => inProgress switch
    {
        FailoverState.FailingOver => FailoverKind.Failover,
        FailoverState.FailingBack => FailoverKind.Failback,
        _ => throw new ArgumentOutOfRangeException(nameof(inProgress), inProgress, "Not an in-progress state."),
    };

    /// <summary>Null when a run of <paramref name="kind"/> may start from <paramref name="current"/>; otherwise why not.</summary>
    public static string? RefusalToStart(FailoverState current, FailoverKind kind)
    {
        if (IsInProgress(current)) return $"A {KindOf(current).ToWire()} run holds the coordinator ({current.ToWire()}).";
        if (current == Origin(kind)) return null;
        return kind == FailoverKind.Failover
            ? $"Already {current.ToWire()}: trading runs on the backup site; fail back first."
            : $"Already {current.ToWire()}: trading runs on the primary site; there is nothing to fail back.";
    }

    /// <summary>What happens to a run that died in <paramref name="state"/>: never a half-switched system.</summary>
    public static RecoveryAction Recover(FailoverState state, bool switched)
    {
        if (!IsInProgress(state)) throw new ArgumentOutOfRangeException(nameof(state), state, "Only an in-progress state needs recovery.");
        return switched ? RecoveryAction.Resume : RecoveryAction.RollBack;
    }

    /// <summary>The settled state a run ends in: its target when the site switched and stays switched, else its origin.</summary>
    public static FailoverState Settle(FailoverKind kind, bool switched) => switched ? Target(kind) : Origin(kind);
}
