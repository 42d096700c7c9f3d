using HyperFunctions.Functions.Hosting;

namespace HyperFunctions.Functions.Tests;

/// <summary>A queue function for hosting tests: fails the first <see cref="FailuresBeforeSuccess"/> deliveries of each message.</summary>
internal sealed class FlakyQueueFunction : IQueueFunction
{
    public const string FunctionName = "FlakyQueue";
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _attempts = new();

    public string Name => FunctionName;
    public int FailuresBeforeSuccess { get; set; }
    public TaskCompletionSource<QueueInvocation> Succeeded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public System.Collections.Concurrent.ConcurrentQueue<QueueInvocation> Seen { get; } = new();

    public Task<string> RunAsync(QueueInvocation invocation, CancellationToken ct)
    {
        Seen.Enqueue(invocation);
        var attempt = _attempts.AddOrUpdate(invocation.MessageId ?? invocation.Body, 1, (_, n) => n + 1);
        if (attempt <= FailuresBeforeSuccess) throw new InvalidOperationException($"planned failure {attempt}");
        Succeeded.TrySetResult(invocation);
        return Task.FromResult("ok " + invocation.Body);
    }
}

/// <summary>A timer function for hosting tests: signals each run.</summary>
internal sealed class CountingTimerFunction : ITimerFunction
{
    public const string FunctionName = "CountingTimer";
    private int _runs;

    public string Name => FunctionName;
    public int Runs => Volatile.Read(ref _runs);
    public TaskCompletionSource FirstRun { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public System.Collections.Concurrent.ConcurrentQueue<TimerInvocation> Seen { get; } = new();

    public Task<string> RunAsync(TimerInvocation invocation, CancellationToken ct)
    {
        Seen.Enqueue(invocation);
        Interlocked.Increment(ref _runs);
        FirstRun.TrySetResult();
        return Task.FromResult("ran");
    }
}
