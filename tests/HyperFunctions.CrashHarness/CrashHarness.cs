using System.Globalization;
using Azure.Storage.Queues;
using HyperFunctions.Functions.Execution;
using HyperFunctions.Functions.Functions.Execution;
using HyperFunctions.Storage;

namespace HyperFunctions.CrashHarness;

/// <summary>The lines the harness writes to stdout; the test waits on them (nothing else goes to stdout).</summary>
public static class Markers
{
    /// <summary>The host has started (its listener is polling).</summary>
    public const string Ready = "HF-READY";

    /// <summary>Followed by " {point} {subject} {CPU ms used so far}": the crash point was reached and stands still.</summary>
    public const string Crash = "HF-CRASH";

    /// <summary>The order-intents queue holds no message at all; the process exits 0.</summary>
    public const string Drained = "HF-DRAINED";
}

/// <summary>What the environment asks of this process.</summary>
public sealed record CrashSettings(ExecutionCrashPoint? Point, int Occurrence, TimeSpan Lease, TimeSpan MaxPollingInterval, int BatchSize)
{
    public const string PointVariable = "HF_CRASH_POINT";
    public const string OccurrenceVariable = "HF_CRASH_OCCURRENCE";
    public const string LeaseVariable = "HF_CRASH_LEASE_MS";

    /// <summary>
    /// Messages taken per poll (default 1, host.json's batchSize is 16). A killed process's messages stay hidden
    /// for the whole lease: with 16 a child took the messages meant for the other children too, and they waited
    /// out the lease with nothing to do. With 1 a kill hides only the message it was executing.
    /// </summary>
    public const string BatchSizeVariable = "HF_CRASH_BATCH_SIZE";

    public static CrashSettings FromEnvironment(Func<string, string?> get)
    {
        ArgumentNullException.ThrowIfNull(get);
        ExecutionCrashPoint? point = get(PointVariable) is { Length: > 0 } p
            ? Enum.TryParse<ExecutionCrashPoint>(p, ignoreCase: false, out var parsed) && Enum.IsDefined(parsed) ? parsed : throw new ArgumentException($"{PointVariable}='{p}' is not one of {string.Join(", ", Enum.GetNames<ExecutionCrashPoint>())}.")
            : null;
        var occurrence = Positive(get, OccurrenceVariable, 1);
        var lease = TimeSpan.FromMilliseconds(Positive(get, LeaseVariable, 30_000));
        var batchSize = Positive(get, BatchSizeVariable, 1);
        if (batchSize > 32) throw new ArgumentException($"{BatchSizeVariable}='{batchSize}' is above 32, the most one receive may take.");
        return new CrashSettings(point, occurrence, lease, TimeSpan.FromMilliseconds(200), batchSize);
    }

    private static int Positive(Func<string, string?> get, string name, int fallback) =>
        get(name) is not { Length: > 0 } text ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
        : throw new ArgumentException($"{name}='{text}' is not a positive whole number.");
}

/// <summary>
/// Stands still at the <paramref name="occurrence"/>-th arrival at <paramref name="point"/> (of ExecuteOrderIntent
/// for the queue point) after writing the marker: the invocation never continues, the test kills the process.
/// Every other arrival passes.
/// </summary>
public sealed class StoppingCrashPoints(ExecutionCrashPoint? point, int occurrence, TextWriter markers) : IExecutionCrashPoints
{
    private readonly TaskCompletionSource _never = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrivals;

    public ValueTask ReachedAsync(ExecutionCrashPoint reached, string subject, CancellationToken ct)
    {
        if (reached != point) return ValueTask.CompletedTask;
        if (reached == ExecutionCrashPoint.AfterRecordBeforeDelete && !subject.StartsWith(nameof(ExecuteOrderIntent) + "/", StringComparison.Ordinal))
            return ValueTask.CompletedTask;
        if (Interlocked.Increment(ref _arrivals) != occurrence) return ValueTask.CompletedTask;
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        markers.WriteLine(FormattableString.Invariant($"{Markers.Crash} {reached} {subject} {self.TotalProcessorTime.TotalMilliseconds:F0}"));
        markers.Flush();
        return new ValueTask(_never.Task); // nothing ever completes it: the process is killed here
    }
}

/// <summary>Drain mode: once the queue holds no message (the approximate count includes hidden ones), says so and stops the host.</summary>
public sealed class DrainWatcher(StorageClients storage, TimeSpan interval, IHostApplicationLifetime lifetime, TextWriter markers) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var queue = storage.Queues.GetQueueClient(OrderIntentMessage.QueueName);
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var properties = await queue.GetPropertiesAsync(stoppingToken);
            if (properties.Value.ApproximateMessagesCount > 0) continue;
            markers.WriteLine(Markers.Drained);
            markers.Flush();
            lifetime.StopApplication();
            return;
        }
    }
}

/// <summary>The harness runs no alert channel (the test's own app has the pipeline): an alert signalled here is dropped.</summary>
public sealed class DroppedAlerts : HyperFunctions.Domain.Alerts.IAlertSink
{
    public Task SignalAsync(HyperFunctions.Domain.Alerts.AlertSignal signal, CancellationToken ct) => Task.CompletedTask;
}
