namespace HyperFunctions.Domain.Safety;

/// <summary>Something that asks the safety state machine to change. Every command names its actor.</summary>
public abstract record SafetyCommand(string Actor, string Message)
{
    /// <summary>Short name recorded in history.</summary>
    public abstract string Kind { get; }
}

/// <summary>Automatic: a check found a problem. May only lower the mode (to <paramref name="Level"/>).</summary>
public sealed record RaiseCondition(ReasonCode Reason, SafetyMode Level, string Actor, string Message) : SafetyCommand(Actor, Message)
{
    public override string Kind => "raise";
}

/// <summary>
/// Automatic: the check behind <paramref name="Reason"/> is healthy again and has been for
/// <paramref name="HealthyFor"/>. Lifts the mode only as the policy allows.
/// </summary>
public sealed record ClearCondition(ReasonCode Reason, TimeSpan HealthyFor, string Actor, string Message) : SafetyCommand(Actor, Message)
{
    public override string Kind => "clear";
}

/// <summary>Operator: ARMED_SAFE → ARMED_LIVE.</summary>
public sealed record Promote(string Actor, string Message) : SafetyCommand(Actor, Message)
{
    public override string Kind => "promote";
}

/// <summary>Operator: anything → HALT.</summary>
public sealed record OperatorHalt(ReasonCode Reason, string Actor, string Message) : SafetyCommand(Actor, Message)
{
    public override string Kind => "halt";
}

/// <summary>
/// Operator: set any mode and clear all conditions (a still-failing check raises its condition again).
/// From a mode other than HALT it needs <paramref name="AllowNonHalt"/>, as the runbook's reset tool does.
/// </summary>
public sealed record OperatorReset(SafetyMode Target, ReasonCode Reason, bool AllowNonHalt, string Actor, string Message) : SafetyCommand(Actor, Message)
{
    public override string Kind => "reset";
}

/// <summary>
/// System: a process started. At genesis it creates the ledger in <paramref name="StartMode"/>. Later it
/// changes nothing unless the process runs another configuration than the ledger carries (a deployment):
/// then one CONFIG_CHANGED transition lowers the mode to the start mode, never raising it except to an
/// explicitly allowed ARMED_LIVE start (<paramref name="AllowStartLive"/>) from a clean ARMED_SAFE.
/// </summary>
public sealed record Boot(SafetyMode StartMode, string Actor, string Message, bool AllowStartLive = false) : SafetyCommand(Actor, Message)
{
    public override string Kind => "boot";
}

/// <summary>
/// System (the stream keeper, with Keeper:MaintenanceSkipGap set): the fills between <paramref name="From"/>
/// and <paramref name="To"/> were not backfilled because the gap lay beyond the backfill window, and the
/// cursor was moved past it at <paramref name="AppliedAt"/>. The only way HALT BACKFILL_WINDOW_EXCEEDED
/// lifts by itself: to ARMED_SAFE, which then needs an operator's promote.
/// </summary>
public sealed record MaintenanceSkip(DateTimeOffset From, DateTimeOffset To, DateTimeOffset AppliedAt, string Actor, string Message) : SafetyCommand(Actor, Message)
{
    public override string Kind => "maintenanceSkip";
}
