namespace HyperFunctions.Domain.Failover;

/// <summary>
/// The coordinator's state row: the settled or in-progress state, the active site (the marker the order
/// gate reads), the run holding the coordinator (if any) and the policy counters. Written only under the
/// row's ETag, together with the history rows of the same step.
/// </summary>
/// <param name="Run">The run holding the coordinator; null when settled.</param>
public sealed record FailoverRecord(FailoverState State, string ActiveSite, RunClaim? Run, FailoverCounters Counters, string? LastRunId, long Version)
{
    /// <summary>The record before anything was ever written: PRIMARY on the primary site.</summary>
    public static FailoverRecord Genesis(string primarySite) => new(FailoverState.Primary, primarySite, null, FailoverCounters.None, null, 0);
}

/// <summary>
/// The run holding the coordinator. <paramref name="Owner"/> changes when another process adopts a run
/// whose lease ran out, so the old owner's next write fails. <paramref name="StepsDone"/>: steps of the plan
/// that have completed and are not undone (each was one transaction); <paramref name="Switched"/>: the active site changed;
/// <paramref name="RollingBack"/>: a step failed and the completed ones are being undone, newest first.
/// </summary>
public sealed record RunClaim(
    string RunId, FailoverKind Kind, string FromSite, string ToSite, string Actor, string Reason, bool Forced, bool Automatic,
    DateTimeOffset StartedAt, DateTimeOffset LeaseUntil, string Owner, int StepsDone, bool Switched, int Failures, int Sequence, bool RollingBack = false);

/// <summary>One run in history: manual or automatic, real or dry-run, or a refusal (which changed nothing).</summary>
public sealed record FailoverRun(
    string RunId, FailoverKind Kind, string FromSite, string ToSite, string Actor, string Reason, bool DryRun, bool Forced, bool Automatic,
    DateTimeOffset StartedAt, DateTimeOffset? EndedAt, RunOutcome Outcome, string Detail)
{
    public double? DurationSeconds => EndedAt is { } end ? Math.Round((end - StartedAt).TotalSeconds, 3) : null;
}

/// <summary>One step of a run as it happened (a rollback of a step is a step of its own). <paramref name="Sequence"/> orders them within the run.</summary>
public sealed record FailoverStep(string RunId, int Sequence, string Name, string Kind, string Phase, StepOutcome Outcome, string Detail, long DurationMs, DateTimeOffset At, string Actor);
