namespace HyperFunctions.Functions.Execution;

/// <summary>The places where a crash of the executing process is most dangerous for exactly-once (docs/execution.md, "Crash safety").</summary>
public enum ExecutionCrashPoint
{
    /// <summary>The intent row says SENDING; the order has not gone out yet.</summary>
    BeforeSend,

    /// <summary>The venue has answered the order; its result is not recorded yet (the row still says SENDING).</summary>
    AfterSendBeforeRecord,

    /// <summary>The queue function succeeded (the result is recorded); its message is not deleted yet.</summary>
    AfterRecordBeforeDelete,
}

/// <summary>
/// Hooks at the <see cref="ExecutionCrashPoint"/>s, for the crash-injection test: its harness registers an
/// implementation that stops the process there so the test can kill it. Production registers
/// <see cref="NoExecutionCrashPoints"/> (a completed call, nothing else) and no setting changes that.
/// </summary>
public interface IExecutionCrashPoints
{
    /// <summary>Called when execution reaches <paramref name="point"/>; <paramref name="subject"/> names the cloid or the queue message.</summary>
    ValueTask ReachedAsync(ExecutionCrashPoint point, string subject, CancellationToken ct);
}

/// <summary>The production registration: every point passes at once.</summary>
public sealed class NoExecutionCrashPoints : IExecutionCrashPoints
{
    public static NoExecutionCrashPoints Instance { get; } = new();

    private NoExecutionCrashPoints()
    {
    }

    public ValueTask ReachedAsync(ExecutionCrashPoint point, string subject, CancellationToken ct) => ValueTask.CompletedTask;
}
