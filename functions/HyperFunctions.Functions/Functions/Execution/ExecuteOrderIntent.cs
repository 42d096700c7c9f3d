using HyperFunctions.Functions.Execution;
using HyperFunctions.Functions.Hosting;

namespace HyperFunctions.Functions.Functions.Execution;

/// <summary>
/// Queue trigger on order-intents: executes one intent (see <see cref="OrderExecutor"/>). A message that
/// is not an intent is logged and dropped (retrying cannot fix it); a refused intent is recorded as BLOCKED
/// and the invocation succeeds. Only a failure to record a result throws, so the message comes back.
/// </summary>
public sealed partial class ExecuteOrderIntent(OrderExecutor executor, ILogger<ExecuteOrderIntent> logger) : IQueueFunction
{
    public string Name => nameof(ExecuteOrderIntent);

    public async Task<string> RunAsync(QueueInvocation invocation, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var (intent, error) = OrderIntentMessage.Parse(invocation.Body);
        if (intent is null)
        {
            LogDropped(invocation.MessageId ?? "(unknown id)", error!);
            return "dropped: " + error;
        }
        return await executor.ExecuteAsync(intent, ct);
    }

    [LoggerMessage(EventId = 1020, Level = LogLevel.Error, Message = "Queue message {MessageId} on order-intents dropped: {Error}")]
    private partial void LogDropped(string messageId, string error);
}
