namespace HyperFunctions.Functions.Hosting;

/// <summary>
/// Asked by the self-host <see cref="QueueListener"/> before each receive from a queue: a reason to leave that queue's
/// messages to other processes for now, or null to receive. Under the Functions host the host receives; the function
/// itself must then cope (the executor hands a passive site's intents back).
/// </summary>
public interface IQueueListenGate
{
    Task<string?> HoldReasonAsync(string queueName, CancellationToken ct);
}
