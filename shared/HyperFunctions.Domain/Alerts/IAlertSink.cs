namespace HyperFunctions.Domain.Alerts;

/// <summary>
/// Where every part hands its alert signals: check verdicts, ledger transitions, keeper fallbacks, later
/// failovers. Implementations record and enqueue only; receivers are contacted later, from the delivery
/// queue, so a receiver that is down never blocks a caller.
/// </summary>
public interface IAlertSink
{
    Task SignalAsync(AlertSignal signal, CancellationToken ct);
}
