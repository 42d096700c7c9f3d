namespace HyperFunctions.Functions.Hosting;

/// <summary>A function the app implements; its name matches its function.json folder.</summary>
public interface IFunction
{
    string Name { get; }
}

/// <summary>A timer-triggered function. Returns a short summary for logs and the custom-handler ReturnValue.</summary>
public interface ITimerFunction : IFunction
{
    Task<string> RunAsync(TimerInvocation invocation, CancellationToken ct);
}

/// <summary>
/// A queue-triggered function. Throwing fails the invocation: the message becomes visible again and,
/// after maxDequeueCount attempts, moves to the poison queue (in both hosting modes).
/// </summary>
public interface IQueueFunction : IFunction
{
    Task<string> RunAsync(QueueInvocation invocation, CancellationToken ct);
}

/// <summary>An HTTP-triggered function: maps its own route. Keys are enforced per its function.json authLevel.</summary>
public interface IHttpFunction : IFunction
{
    RouteHandlerBuilder Map(IEndpointRouteBuilder routes);
}

public sealed record TimerInvocation(DateTimeOffset ScheduledAt, bool IsPastDue);

/// <summary>One delivery of a queue message.</summary>
/// <param name="MessageId">The queue's id for the message. Null when it is unknown: under the Functions host a JSON
/// message's own top-level properties overwrite the metadata of the same name (compared ignoring case), so an
/// "id" in the message hides the real one. An idempotency key belongs in the message body.</param>
/// <param name="Body">The message text exactly as it was enqueued (after the queue's base64 encoding is undone).</param>
/// <param name="DequeueCount">Which delivery this is (1 for the first); null when unknown, as for the id.</param>
/// <param name="InsertedAt">When the message was enqueued; null when unknown.</param>
public sealed record QueueInvocation(string? MessageId, string Body, long? DequeueCount, DateTimeOffset? InsertedAt);
