using HyperFunctions.Alerts;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Storage.Alerts;

namespace HyperFunctions.Functions.Functions.Alerts;

/// <summary>
/// Queue alert-deliveries: sends one alert notification to one channel. Delivered, skipped and refused-for-good
/// (a 4xx other than 408/429, an SMTP 5xx, a missing secret) complete the message; a failure that may pass (network,
/// timeout, 408, 429, 5xx) throws, so the queue shows the message again after host.json's visibilityTimeout and,
/// after maxDequeueCount attempts, moves it to alert-deliveries-poison. A message that is not a delivery throws too
/// and so ends in the poison queue for inspection.
/// </summary>
public sealed class DeliverAlert(AlertDeliverer deliverer) : IQueueFunction
{
    public const string QueueName = "alert-deliveries";

    public string Name => nameof(DeliverAlert);

    public Task<string> RunAsync(QueueInvocation invocation, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var delivery = AlertDelivery.FromMessage(invocation.Body);
        return deliverer.DeliverAsync(delivery, invocation.DequeueCount, ct);
    }
}
