using HyperFunctions.Functions.Execution;
using HyperFunctions.Functions.Hosting;

namespace HyperFunctions.Functions.Failover;

/// <summary>
/// A self-host process of the passive failover site does not take order intents off the queue, so the active site's
/// processes get them without the hand-back's delay (the executor's hand-back remains for the Functions host, which
/// receives regardless). Other queues (alerts) are consumed as usual.
/// </summary>
public sealed class PassiveSiteQueueGate(ActiveSiteGate site) : IQueueListenGate
{
    public async Task<string?> HoldReasonAsync(string queueName, CancellationToken ct) =>
        queueName == OrderIntentMessage.QueueName && await site.CheckAsync(ct) is { Active: false } passive ? passive.Reason : null;
}
