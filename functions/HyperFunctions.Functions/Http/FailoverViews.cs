using System.Text.Json.Serialization;
using HyperFunctions.Domain.Failover;
using HyperFunctions.Functions.Failover;

namespace HyperFunctions.Functions.Http;

/// <summary>
/// The <c>failover</c> section of GET /api/status and the body of GET /api/failover, from memory: the state and
/// active site as last read (<see cref="ReadAt"/>), this process's site and whether it is active, failovers
/// today against the cap, when the cooldown ends, the run in progress and the last run.
/// </summary>
public sealed record FailoverStatusView(
    bool Enabled, string? State, string? ActiveSite, string Site, bool Active, bool Automatic, string[] Sites, int FailoversToday, int DailyCap,
    double CooldownSeconds, DateTimeOffset? CooldownUntil, DateTimeOffset? LastSwitchAt, RunInProgressView? RunInProgress, RunView? LastRun,
    DateTimeOffset? ReadAt, double? AgeSeconds)
{
    public static FailoverStatusView From(FailoverConfig config, FailoverMemory memory, DateTimeOffset now)
    {
        var (record, readAt, last) = memory.Snapshot();
        if (!config.Enabled)
            return new FailoverStatusView(false, null, null, config.ThisSite, true, false, [], 0, config.Limits.DailyCap, config.Limits.Cooldown.TotalSeconds,
                null, null, null, null, null, null);
        var active = record is not null && string.Equals(record.ActiveSite, config.ThisSite, StringComparison.OrdinalIgnoreCase);
        var until = record is null ? null : FailoverPolicy.CooldownUntil(config.Limits, record.Counters);
        return new FailoverStatusView(true, record?.State.ToWire(), record?.ActiveSite, config.ThisSite, active, config.Automatic,
            [.. config.Sites.Select(s => s.Name!)], record?.Counters.FailoversOn(now) ?? 0, config.Limits.DailyCap, config.Limits.Cooldown.TotalSeconds,
            until is { } u && u > now ? u : null, record?.Counters.LastSwitchAt,
            record?.Run is { } run ? new RunInProgressView(run.RunId, run.Kind.ToWire(), run.FromSite, run.ToSite, run.Actor, run.StartedAt, run.StepsDone, run.Switched, run.RollingBack, run.LeaseUntil) : null,
            last is null ? null : RunView.Of(last),
            readAt, readAt is { } at ? Math.Round(Math.Max(0, (now - at).TotalSeconds), 1) : null);
    }
}

public sealed record RunInProgressView(string RunId, string Kind, string From, string To, string Actor, DateTimeOffset StartedAt, int StepsDone, bool Switched, bool RollingBack, DateTimeOffset LeaseUntil);

/// <summary>One run in history (steps only in GET /api/failover/history).</summary>
public sealed record RunView(
    string RunId, string Kind, string From, string To, string Actor, string Reason, bool DryRun, bool Forced, bool Automatic,
    DateTimeOffset StartedAt, DateTimeOffset? EndedAt, double? DurationSeconds, string Outcome, string Detail, StepView[]? Steps = null)
{
    public static RunView Of(FailoverRun r, IReadOnlyList<FailoverStep>? steps = null) =>
        new(r.RunId, r.Kind.ToWire(), r.FromSite, r.ToSite, r.Actor, r.Reason, r.DryRun, r.Forced, r.Automatic, r.StartedAt, r.EndedAt, r.DurationSeconds,
            r.Outcome.ToWire(), r.Detail, steps?.Select(StepView.Of).ToArray());
}

public sealed record FailoverHistoryResponse(RunView[] Items);

/// <summary>POST /api/failover|failback with dryRun false: what ran.</summary>
public sealed record FailoverRunResponse(
    bool Success, string RunId, string Kind, string Outcome, string From, string To, string State, string ActiveSite, bool Forced, StepView[] Steps, double DurationSeconds, string? RecoveredRun);

/// <summary>POST /api/failover|failback with dryRun true (the default): the plan; nothing changed.</summary>
public sealed record FailoverPlanResponse(
    bool DryRun, string RunId, string Kind, string From, string To, string State, string ActiveSite, bool WouldRun, Precondition[] Preconditions, PlanStepView[] Steps);

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(FailoverStatusView))]
[JsonSerializable(typeof(FailoverHistoryResponse))]
[JsonSerializable(typeof(FailoverRunResponse))]
[JsonSerializable(typeof(FailoverPlanResponse))]
[JsonSerializable(typeof(HookCall))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class FailoverJsonContext : JsonSerializerContext;
