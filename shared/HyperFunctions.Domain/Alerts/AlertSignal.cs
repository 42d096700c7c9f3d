namespace HyperFunctions.Domain.Alerts;

/// <summary>
/// One statement about a condition an operator may need to hear about. The pipeline de-duplicates by
/// <see cref="Key"/> (one open alert per key), throttles repeats, escalates long outages and sends a
/// resolve when a signal with <see cref="Active"/> false arrives for an open key.
/// </summary>
/// <param name="Key">Stable per condition, e.g. <c>check:HeartbeatCheck:WS_HEARTBEAT_LOST</c>; also the PagerDuty dedup key.</param>
/// <param name="Level">The level this occurrence asks for; an open alert keeps the highest level it reached.</param>
/// <param name="Active">True: the condition holds. False: it cleared (resolves the open alert, if any; otherwise nothing).</param>
/// <param name="Title">One line for a pager or a Slack message.</param>
/// <param name="Detail">What was seen and what the system did about it.</param>
/// <param name="Source">Who says so: a check name, <c>ledger</c>, <c>keeper</c>, later <c>failover</c>.</param>
/// <param name="At">When it was observed.</param>
public sealed record AlertSignal(string Key, AlertLevel Level, bool Active, string Title, string Detail, string Source, DateTimeOffset At);
