namespace HyperFunctions.Domain.Alerts;

/// <summary>
/// The life of one alert, as pure functions (no I/O, time passed in). Checked against the runbook:
/// <list type="bullet">
/// <item>an active signal with no open alert opens one (TRIGGER at the signal's level);</item>
/// <item>an active signal for an open alert is a duplicate, except: a higher level raises the alert (ESCALATE);
/// an alert open at one level past <see cref="AlertPolicy.EscalateAfter"/> moves up one level (ESCALATE, at most 4);
/// otherwise, past <see cref="AlertPolicy.Throttle"/> since the last notification, it reminds (RENOTIFY);</item>
/// <item>an inactive signal resolves an open alert (RESOLVE, once); with no open alert it does nothing;</item>
/// <item><see cref="OnTick"/> applies the same escalation and reminder rules without a signal (the timer).</item>
/// </list>
/// </summary>
public static class AlertRules
{
    public const AlertLevel HighestLevel = AlertLevel.EmergencyHalt;

    /// <param name="current">The alert stored under the signal's key (open or resolved), or null.</param>
    /// <param name="newAlertId">The id a newly opened alert gets (the caller makes it; the rules stay pure).</param>
    /// <param name="now">The time the pipeline handles the signal; throttle and escalation count in it.</param>
    public static AlertDecision OnSignal(AlertState? current, AlertSignal signal, AlertPolicy policy, DateTimeOffset now, string newAlertId)
    {
        ArgumentNullException.ThrowIfNull(signal);
        ArgumentNullException.ThrowIfNull(policy);
        if (current is not null && !string.Equals(current.Key, signal.Key, StringComparison.Ordinal))
            throw new ArgumentException($"The stored alert is for '{current.Key}', the signal for '{signal.Key}'.", nameof(current));
        var level = Clamp(signal.Level);

        if (!signal.Active)
        {
            if (current is not { IsOpen: true }) return new AlertDecision.NoChange("No open alert for this key: nothing to resolve.");
            var resolved = current with
            {
                Status = AlertStatus.Resolved,
                ResolvedAt = now,
                Detail = signal.Detail,
                SignalAt = signal.At,
                LastNotifiedAt = now,
                Notifications = current.Notifications + 1,
                LastAction = AlertAction.Resolve,
            };
            return Notify(resolved);
        }

        if (current is not { IsOpen: true })
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(newAlertId);
            var opened = new AlertState(newAlertId, signal.Key, AlertStatus.Open, level, level, signal.Title, signal.Detail, signal.Source,
                now, now, now, signal.At, null, 1, AlertAction.Trigger);
            return Notify(opened);
        }

        if (level > current.Level)
        {
            var raised = current with
            {
                Level = level,
                LevelSince = now,
                Title = signal.Title,
                Detail = signal.Detail,
                Source = signal.Source,
                SignalAt = signal.At,
            };
            return Notify(Notified(raised, AlertAction.Escalate, now));
        }

        return Due(current with { Detail = signal.Detail, SignalAt = signal.At }, current, policy, now);
    }

    /// <summary>The timer's look at an open alert: escalate or remind when due, else nothing.</summary>
    public static AlertDecision OnTick(AlertState current, AlertPolicy policy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(policy);
        if (!current.IsOpen) return new AlertDecision.NoChange("Resolved.");
        return Due(current, current, policy, now);
    }

    /// <summary>When the alert next needs attention without a new signal (escalation or reminder), or null when resolved.</summary>
    public static DateTimeOffset? NextDue(AlertState current, AlertPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(policy);
        if (!current.IsOpen) return null;
        var remind = current.LastNotifiedAt + policy.Throttle;
        return current.Level < HighestLevel && current.LevelSince + policy.EscalateAfter < remind ? current.LevelSince + policy.EscalateAfter : remind;
    }

    private static AlertDecision Due(AlertState candidate, AlertState stored, AlertPolicy policy, DateTimeOffset now)
    {
        if (stored.Level < HighestLevel && now - stored.LevelSince >= policy.EscalateAfter)
        {
            var escalated = candidate with { Level = stored.Level + 1, LevelSince = now };
            return Notify(Notified(escalated, AlertAction.Escalate, now));
        }
        if (now - stored.LastNotifiedAt >= policy.Throttle)
            return Notify(Notified(candidate, AlertAction.Renotify, now));
        return new AlertDecision.NoChange($"Open at level {(int)stored.Level}; notified {(now - stored.LastNotifiedAt).TotalSeconds:F0} s ago (throttle {policy.Throttle.TotalSeconds:F0} s).");
    }

    private static AlertState Notified(AlertState state, AlertAction action, DateTimeOffset now) =>
        state with { LastNotifiedAt = now, Notifications = state.Notifications + 1, LastAction = action };

    private static AlertDecision.Changed Notify(AlertState next) => new(next, next.LatestNotification);

    private static AlertLevel Clamp(AlertLevel level) => level switch
    {
        < AlertLevel.AutomatedRecovery => AlertLevel.AutomatedRecovery,
        > HighestLevel => HighestLevel,
        _ => level,
    };
}
