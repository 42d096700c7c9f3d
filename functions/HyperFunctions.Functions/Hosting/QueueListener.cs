using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using HyperFunctions.Functions.Execution;
using HyperFunctions.Functions.Telemetry;
using HyperFunctions.Storage;

namespace HyperFunctions.Functions.Hosting;

/// <summary>
/// Self-host mode: every queue function as a competing consumer, with the Functions host's semantics
/// from host.json: a received message is invisible to others; success deletes it; failure makes it
/// visible again after visibilityTimeout; a message that has failed maxDequeueCount times moves to
/// &lt;queue&gt;-poison. Polling backs off to maxPollingInterval while the queue is empty, and a
/// <see cref="QueueNudge"/> from a function of this process that queued a message ends the wait at once.
/// A process that dies holding a message leaves it hidden for <see cref="HostJsonSettings.ProcessingLease"/>.
/// Before each receive the <see cref="IQueueListenGate"/>s are asked: while one gives a reason (a passive failover site
/// for order-intents) that queue is left to other processes and asked again every <see cref="HoldRecheck"/>.
/// </summary>
public sealed partial class QueueListener(
    FunctionCatalog catalog, StorageClients storage, HostJsonSettings hostJson, TimeProvider time, FunctionMetrics metrics, ILogger<QueueListener> logger,
    QueueNudge nudge, IExecutionCrashPoints crashPoints, IEnumerable<IQueueListenGate> gates)
    : BackgroundService
{
    private static readonly TimeSpan MinimumPoll = TimeSpan.FromMilliseconds(100);

    /// <summary>How often a held queue is asked about again.</summary>
    public static readonly TimeSpan HoldRecheck = TimeSpan.FromSeconds(1);

    private readonly IQueueListenGate[] _gates = [.. gates];

    /// <summary>Raised after each decision to leave a queue alone for now: the queue and the reason (tests wait on it).</summary>
    public event Action<string, string>? Held;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(catalog.OfKind<IQueueFunction>(TriggerKind.Queue).Select(q => ListenAsync(q.Definition, q.Function, stoppingToken)));

    private async Task ListenAsync(FunctionDefinition definition, IQueueFunction function, CancellationToken ct)
    {
        var queue = storage.Queues.GetQueueClient(definition.QueueName);
        var poison = storage.Queues.GetQueueClient(definition.QueueName + "-poison");
        var delay = MinimumPoll;
        var episode = new FailureEpisode($"Polling queue {definition.QueueName}", logger, time);
        var created = false;
        string? held = null;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (await HoldReasonAsync(queue.Name, ct) is { } hold)
                {
                    if (held is null) LogHeld(queue.Name, hold);
                    held = hold;
                    Held?.Invoke(queue.Name, hold);
                    await Task.Delay(HoldRecheck, time, ct);
                    continue;
                }
                if (held is not null) LogResumed(queue.Name);
                held = null;
                var nudged = nudge.NextAsync(queue.Name); // taken before the receive: a message queued during it still wakes us
                if (!created)
                {
                    await queue.CreateIfNotExistsAsync(cancellationToken: ct); // once, not one more storage transaction per poll
                    created = true;
                }
                QueueMessage[] messages = (await queue.ReceiveMessagesAsync(hostJson.BatchSize, hostJson.ProcessingLease, ct)).Value;
                episode.Succeeded();
                if (messages.Length == 0)
                {
                    delay = await IdleAsync(delay, nudged, ct)
                        ? MinimumPoll
                        : TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, hostJson.MaxPollingInterval.Ticks));
                    continue;
                }
                delay = MinimumPoll;
                await Task.WhenAll(messages.Select(m => HandleAsync(definition, function, queue, poison, m, ct)));
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                episode.Failed(ex);
                created = false; // the queue may be what went missing
                await Task.Delay(hostJson.MaxPollingInterval, time, ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task<string?> HoldReasonAsync(string queueName, CancellationToken ct)
    {
        foreach (var gate in _gates)
        {
            if (await gate.HoldReasonAsync(queueName, ct) is { } reason) return reason;
        }
        return null;
    }

    /// <summary>Waits out the poll back-off unless a nudge comes first; true when nudged.</summary>
    private async Task<bool> IdleAsync(TimeSpan delay, Task nudged, CancellationToken ct)
    {
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sleep = Task.Delay(delay, time, wake.Token);
        var first = await Task.WhenAny(sleep, nudged);
        await wake.CancelAsync(); // a nudge ends the sleep's timer too
        ct.ThrowIfCancellationRequested();
        return first == nudged;
    }

    internal async Task HandleAsync(FunctionDefinition definition, IQueueFunction function, QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken ct)
    {
        var invocation = new QueueInvocation(message.MessageId, message.Body.ToString(), message.DequeueCount, message.InsertedOn);
        try
        {
            var summary = await metrics.InvokeAsync(definition, () => function.RunAsync(invocation, ct));
            await crashPoints.ReachedAsync(ExecutionCrashPoint.AfterRecordBeforeDelete, $"{definition.Name}/{message.MessageId}", ct);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
            LogProcessed(definition.Name, message.MessageId, summary);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            if (message.DequeueCount >= hostJson.MaxDequeueCount)
            {
                // Copy first, then delete: a crash in between leaves a duplicate, never a lost message.
                await poison.CreateIfNotExistsAsync(cancellationToken: ct);
                await poison.SendMessageAsync(message.Body, cancellationToken: ct);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
                LogPoisoned(ex, definition.Name, message.MessageId, message.DequeueCount);
            }
            else
            {
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: hostJson.VisibilityTimeout, cancellationToken: ct);
                LogRetry(ex, definition.Name, message.MessageId, message.DequeueCount);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue {Queue}: not receiving while {Reason}")]
    private partial void LogHeld(string queue, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue {Queue}: receiving again")]
    private partial void LogResumed(string queue);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue {Function} processed {MessageId}: {Summary}")]
    private partial void LogProcessed(string function, string messageId, string summary);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Function} failed {MessageId} (dequeue {DequeueCount}); will retry")]
    private partial void LogRetry(Exception ex, string function, string messageId, long dequeueCount);

    [LoggerMessage(Level = LogLevel.Error, Message = "Queue {Function} moved {MessageId} to poison after {DequeueCount} attempts")]
    private partial void LogPoisoned(Exception ex, string function, string messageId, long dequeueCount);
}
