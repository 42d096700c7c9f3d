using HyperFunctions.Functions.Hosting;
using HyperFunctions.Storage.Alerts;

namespace HyperFunctions.Functions.Functions.Alerts;

/// <summary>
/// Timer: one pass over the alerts. An alert open past Alerts:EscalateAfterSeconds at one level goes up a level
/// (at most 4); one still open past Alerts:ThrottleSeconds since its last notification reminds; a notification a
/// crash left unqueued is queued; resolved alerts past retention are removed. Reminders and escalation happen here
/// even when the check that raised the alert has stopped signalling.
/// </summary>
public sealed class EscalateAlerts(AlertPipeline pipeline) : ITimerFunction
{
    public string Name => nameof(EscalateAlerts);

    public async Task<string> RunAsync(TimerInvocation invocation, CancellationToken ct) =>
        (await pipeline.SweepAsync(ct)).ToString();
}
