using HyperFunctions.Configuration;
using HyperFunctions.Domain.Execution;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Storage;
using HyperFunctions.Storage.Execution;

namespace HyperFunctions.Functions.Execution;

/// <summary>
/// Background refresh behind GET /api/status <c>execution</c>: the approximate message count of order-intents
/// and the open intents of the instance (UNKNOWN, SENDING, budget exceeded) from the order table's open index, the
/// intents that may still rest at the venue (RESTING, ACCEPTED) from its resting index,
/// every Storage:ProbeIntervalSeconds, into <see cref="ExecutionMonitor.Storage"/>. The status request never
/// reads storage.
/// </summary>
public sealed class ExecutionStatusSource(
    OrderStore orders, StorageClients storage, ExecutionMonitor monitor, LoadedConfiguration configuration, TimeProvider time, ILogger<ExecutionStatusSource> logger)
    : MemoryRefresher("Execution status refresh", configuration, time, logger)
{
    protected override async Task RefreshOnceAsync(CancellationToken ct)
    {
        var open = await StorageTimeout.BoundAsync(t => orders.ListOpenAsync(t), Budget, ct);
        var resting = await StorageTimeout.BoundAsync(t => orders.CountRestingAsync(t), Budget, ct);
        long? depth = null;
        try
        {
            var queue = storage.Queues.GetQueueClient(OrderIntentMessage.QueueName);
            var properties = await StorageTimeout.BoundAsync(t => queue.GetPropertiesAsync(t), Budget, ct);
            depth = properties.Value.ApproximateMessagesCount;
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            depth = 0; // no queue yet: nothing was ever queued
        }
        monitor.Storage = new ExecutionStorageView(depth, open.Count(o => o.Status == OrderStatus.Unknown), open.Count(o => o.Status == OrderStatus.Sending),
            open.Count(o => o.BudgetExceeded), Time.GetUtcNow(), resting.GetValueOrDefault(OrderStatus.Resting), resting.GetValueOrDefault(OrderStatus.Accepted));
    }
}
