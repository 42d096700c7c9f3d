using HyperFunctions.Domain.Failover;

namespace HyperFunctions.Functions.Failover;

/// <summary>A failover or failback request: from an operator (HTTP) or the automatic trigger.</summary>
public sealed record FailoverRequest(FailoverKind Kind, string Reason, string Actor, bool DryRun, bool Force, bool Automatic);

/// <summary>One step of a plan: what it would do, its preconditions now, its timeout and failure policy.</summary>
public sealed record PlanStepView(int Index, string Name, string Kind, string Phase, string WouldDo, double TimeoutSeconds, string OnFailure, Precondition[] Preconditions);

/// <summary>One step as it ran.</summary>
public sealed record StepView(int Sequence, string Name, string Kind, string Phase, string Outcome, string Detail, long DurationMs, DateTimeOffset At, string Actor)
{
    public static StepView Of(FailoverStep s) => new(s.Sequence, s.Name, s.Kind, s.Phase, s.Outcome.ToWire(), s.Detail, s.DurationMs, s.At, s.Actor);
}

/// <summary>What a failover request came to.</summary>
public abstract record FailoverOutcome
{
    private FailoverOutcome() { }

    /// <summary>Dry-run: the plan, with each precondition evaluated now; nothing changed.</summary>
    public sealed record Planned(string RunId, FailoverKind Kind, string FromSite, string ToSite, string State, string ActiveSite, bool WouldRun, Precondition[] Preconditions, PlanStepView[] Steps) : FailoverOutcome;

    /// <summary>A real run ended (succeeded, with errors, or rolled back).</summary>
    public sealed record Ran(string RunId, FailoverKind Kind, RunOutcome Outcome, string FromSite, string ToSite, string State, string ActiveSite, bool Forced, StepView[] Steps, double DurationSeconds, string? RecoveredRun) : FailoverOutcome
    {
        public bool Success => Outcome is RunOutcome.Succeeded or RunOutcome.SucceededWithErrors;
    }

    /// <summary>Refused (409): a run in progress, the wrong state, cooldown or cap, an unhealthy primary, or failover off.</summary>
    public sealed record Refused(string Code, string Message, string? RunInProgress = null, DateTimeOffset? NextAllowedAt = null, string[]? FailingChecks = null) : FailoverOutcome;
}
