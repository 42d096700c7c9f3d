using HyperFunctions.Domain.Alerts;
using HyperFunctions.Domain.Safety;

namespace HyperFunctions.Domain.Checks;

/// <summary>What publishing one verdict means: the ledger commands and the alert signals, in order.</summary>
public sealed record VerdictPlan(IReadOnlyList<SafetyCommand> Commands, IReadOnlyList<AlertSignal> Alerts)
{
    /// <summary>Alert key of a check's condition or notice; stable, so the pipeline de-duplicates per condition.</summary>
    public static string AlertKey(string check, string what) => $"check:{check}:{what}";

    /// <summary>
    /// Pure: a held condition is raised (the state machine ignores a repeat); a healthy one is cleared
    /// when the ledger has it, with the time healthy measured from the later of when it was raised and
    /// when this check last saw it hold and the check's own <see cref="ConditionVerdict.HealthySince"/>.
    /// Alerts: a held condition or active notice signals active on every run (the pipeline de-duplicates
    /// and throttles); a healthy one signals resolved when the previous run or the ledger had it.
    /// </summary>
    public static VerdictPlan For(CheckVerdict verdict, CheckResult? previous, SafetyState? ledger, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var commands = new List<SafetyCommand>();
        var alerts = new List<AlertSignal>();
        var actor = verdict.Check;
        foreach (var c in verdict.Conditions)
        {
            var key = AlertKey(verdict.Check, c.Reason.ToWire());
            var active = ledger?.FindCondition(c.Reason);
            if (c.Holds)
            {
                commands.Add(new RaiseCondition(c.Reason, c.Level, actor, c.Message));
                alerts.Add(new AlertSignal(key, c.AlertLevel, true, $"{c.Reason.ToWire()} ({c.Level.ToWire()})", c.Message, actor, now));
                continue;
            }
            if (active is not null)
            {
                var lastHeld = previous?.Find(c.Reason)?.LastHeldAt;
                // Healthy since the later of: raised, last seen holding, and the check's own lower bound.
                var since = Later(Later(active.RaisedAt, lastHeld), c.HealthySince);
                var healthyFor = now - since;
                if (healthyFor < TimeSpan.Zero) healthyFor = TimeSpan.Zero;
                commands.Add(new ClearCondition(c.Reason, healthyFor, actor, $"{c.Message} Healthy for {healthyFor.TotalSeconds:F0} s."));
            }
            if (active is not null || previous?.Find(c.Reason)?.Holds == true)
                alerts.Add(new AlertSignal(key, c.AlertLevel, false, $"{c.Reason.ToWire()} cleared", c.Message, actor, now));
        }
        foreach (var n in verdict.Notices)
        {
            var wasActive = previous?.Notices.Any(p => p.Key == n.Key && p.Active) == true;
            if (n.Active || wasActive)
                alerts.Add(new AlertSignal(AlertKey(verdict.Check, n.Key), n.Level, n.Active, n.Title, n.Detail, actor, now));
        }
        // Notices the previous run had that this run no longer reports at all have ended too.
        foreach (var gone in previous?.Notices.Where(p => p.Active && verdict.Notices.All(n => n.Key != p.Key)) ?? [])
            alerts.Add(new AlertSignal(AlertKey(verdict.Check, gone.Key), gone.Level, false, gone.Title + " (ended)", gone.Detail, actor, now));
        return new VerdictPlan(commands, alerts);
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset? b) => b is { } x && x > a ? x : a;
}
