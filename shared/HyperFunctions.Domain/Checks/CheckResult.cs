using HyperFunctions.Domain.Alerts;
using HyperFunctions.Domain.Safety;

namespace HyperFunctions.Domain.Checks;

/// <summary>
/// A check's last run as stored and shown in status: the verdict plus what the next run needs to judge
/// recovery (when each owned condition last held) and a streak count.
/// </summary>
/// <param name="Writer">The process that ran it.</param>
public sealed record CheckResult(
    string Check,
    DateTimeOffset RanAt,
    string Trigger,
    CheckHealth Health,
    string Summary,
    double DurationMs,
    IReadOnlyList<CheckConditionRecord> Conditions,
    IReadOnlyList<CheckNotice> Notices,
    IReadOnlyDictionary<string, string> Data,
    DateTimeOffset? LastHealthyAt,
    DateTimeOffset? LastUnhealthyAt,
    int ConsecutiveUnhealthy,
    string Writer)
{
    public CheckConditionRecord? Find(ReasonCode reason) => Conditions.FirstOrDefault(c => c.Reason == reason);

    /// <summary>Folds a new verdict into the record the previous run left (null for the first run).</summary>
    public static CheckResult Next(CheckResult? previous, CheckVerdict verdict, DateTimeOffset ranAt, string trigger, TimeSpan duration, string writer)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var conditions = verdict.Conditions.Select(c => new CheckConditionRecord(
            c.Reason, c.Holds, c.Level, c.AlertLevel, c.Message,
            c.Holds ? ranAt : previous?.Find(c.Reason)?.LastHeldAt)).ToList();
        var healthy = verdict.Health != CheckHealth.Unhealthy;
        return new CheckResult(
            verdict.Check, ranAt, trigger, verdict.Health, verdict.Summary, Math.Round(duration.TotalMilliseconds, 1),
            conditions, verdict.Notices, verdict.Data,
            healthy ? ranAt : previous?.LastHealthyAt,
            healthy ? previous?.LastUnhealthyAt : ranAt,
            healthy ? 0 : (previous?.ConsecutiveUnhealthy ?? 0) + 1,
            writer);
    }
}

/// <summary>One owned reason code as of the last run; <see cref="LastHeldAt"/> survives healthy runs (it dates the recovery).</summary>
public sealed record CheckConditionRecord(ReasonCode Reason, bool Holds, SafetyMode Level, AlertLevel AlertLevel, string Message, DateTimeOffset? LastHeldAt);
