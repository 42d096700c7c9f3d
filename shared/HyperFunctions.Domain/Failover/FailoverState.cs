namespace HyperFunctions.Domain.Failover;

/// <summary>
/// The coordinator's durable state. PRIMARY and FAILED_OVER are settled; FAILING_OVER and FAILING_BACK
/// mean a run holds the coordinator (or died holding it: see <see cref="FailoverTransitions.Recover"/>).
/// Wire names are UPPER_SNAKE.
/// </summary>
public enum FailoverState
{
    Primary,
    FailingOver,
    FailedOver,
    FailingBack,
}

/// <summary>Which way a run moves trading: failover (primary → backup) or failback (backup → primary).</summary>
public enum FailoverKind
{
    Failover,
    Failback,
}

/// <summary>What to do when a hook fails: undo what was done and return to the state the run started from, or go on.</summary>
public enum HookFailurePolicy
{
    AbortAndRollBack,
    Continue,
}

/// <summary>Where a hook runs relative to the switch of the active site.</summary>
public enum HookPhase
{
    Pre,
    Switch,
    Post,
}

/// <summary>How a step ended.</summary>
public enum StepOutcome
{
    Succeeded,
    Failed,
    Skipped,
    RolledBack,
}

/// <summary>How a run ended (RUNNING while it holds the coordinator).</summary>
public enum RunOutcome
{
    Running,
    Succeeded,
    SucceededWithErrors,
    RolledBack,
    Refused,

    /// <summary>A dry-run: the plan was shown, nothing changed.</summary>
    Planned,
}

/// <summary>What the next run does with a run that died holding the coordinator.</summary>
public enum RecoveryAction
{
    /// <summary>The active site had not changed: undo the completed pre-hooks and return to the start state.</summary>
    RollBack,

    /// <summary>The active site had changed: run the remaining post-hooks and settle in the target state.</summary>
    Resume,
}

public static class FailoverWire
{
    public static string ToWire(this FailoverState value) => WireNames<FailoverState>.ToWire(value);
    public static string ToWire(this FailoverKind value) => WireNames<FailoverKind>.ToWire(value);
    public static string ToWire(this StepOutcome value) => WireNames<StepOutcome>.ToWire(value);
    public static string ToWire(this RunOutcome value) => WireNames<RunOutcome>.ToWire(value);
    public static string ToWire(this HookFailurePolicy value) => WireNames<HookFailurePolicy>.ToWire(value);

    /// <summary>The gate's reason code on a process whose site is not the active one.</summary>
    public const string SitePassive = "SITE_PASSIVE";
}
