namespace HyperFunctions.Domain.Alerts;

/// <summary>Where an alert is in its life. Wire names: OPEN, RESOLVED.</summary>
public enum AlertStatus
{
    Open,
    Resolved,
}

/// <summary>
/// Why a notification goes out. Wire names: TRIGGER (opened), ESCALATE (level went up: by a signal asking
/// higher or by an outage lasting past the escalation time), RENOTIFY (still open, throttle window passed),
/// RESOLVE (the condition cleared).
/// </summary>
public enum AlertAction
{
    Trigger,
    Escalate,
    Renotify,
    Resolve,
}

/// <summary>
/// One alert: one condition (<see cref="Key"/>) from its first active signal to its resolve. At most one is
/// open per key; a resolved one stays (as "recent") until the key opens again or retention removes it.
/// </summary>
/// <param name="AlertId">Unique per occurrence (a key that resolves and opens again gets a new id).</param>
/// <param name="OpenedLevel">The level it opened at: a resolve goes to every channel of the levels from here to <see cref="Level"/>.</param>
/// <param name="LevelSince">When it opened or last went up a level: escalation counts from here.</param>
/// <param name="LastNotifiedAt">When the last notification went out: the throttle counts from here.</param>
/// <param name="SignalAt">The observation time of the newest signal that changed the alert.</param>
/// <param name="Notifications">How many notifications this alert has sent (the sequence of the latest).</param>
/// <param name="LastAction">What the latest notification was.</param>
public sealed record AlertState(
    string AlertId,
    string Key,
    AlertStatus Status,
    AlertLevel Level,
    AlertLevel OpenedLevel,
    string Title,
    string Detail,
    string Source,
    DateTimeOffset OpenedAt,
    DateTimeOffset LevelSince,
    DateTimeOffset LastNotifiedAt,
    DateTimeOffset SignalAt,
    DateTimeOffset? ResolvedAt,
    long Notifications,
    AlertAction LastAction)
{
    public bool IsOpen => Status == AlertStatus.Open;

    /// <summary>The latest notification this alert sent.</summary>
    public AlertNotification LatestNotification => new(LastAction, Level, Notifications, LastNotifiedAt);
}

/// <summary>One notification of one alert, to go to the channels the routing names.</summary>
/// <param name="Sequence">1 for the first notification of the alert, then 2, 3…; with the alert id and channel it names a delivery.</param>
public sealed record AlertNotification(AlertAction Action, AlertLevel Level, long Sequence, DateTimeOffset At);

/// <summary>The alert rules' answer: nothing to do, or the alert's next state and the notification it sends (if any).</summary>
public abstract record AlertDecision
{
    private AlertDecision() { }

    public sealed record NoChange(string Why) : AlertDecision;

    public sealed record Changed(AlertState Next, AlertNotification? Notify) : AlertDecision;
}
