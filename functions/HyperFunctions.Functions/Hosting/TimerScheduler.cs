using HyperFunctions.Storage.Leases;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using HyperFunctions.Configuration;
using HyperFunctions.Functions.Telemetry;
using HyperFunctions.Storage;
using NCrontab;

namespace HyperFunctions.Functions.Hosting;

/// <summary>
/// Self-host mode: runs every timer function on its function.json NCRONTAB schedule (six fields, with
/// seconds, as Azure Functions reads them). Like the Functions host, only one replica runs a given timer:
/// the one holding a blob lease named after it, renewed while it runs the schedule.
/// </summary>
public sealed partial class TimerScheduler(FunctionCatalog catalog, StorageClients storage, LoadedConfiguration configuration, TimeProvider time, FunctionMetrics metrics, ILogger<TimerScheduler> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(catalog.OfKind<ITimerFunction>(TriggerKind.Timer).Select(t => RunScheduleAsync(t.Definition, t.Function, stoppingToken)));

    private async Task RunScheduleAsync(FunctionDefinition definition, ITimerFunction function, CancellationToken ct)
    {
        var schedule = CrontabSchedule.Parse(definition.Schedule!, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        var leaseDuration = TimeSpan.FromSeconds(configuration.Settings.Hosting.TimerLeaseSeconds);
        var renewEvery = leaseDuration / 3;
        await using var lease = new BlobLease(storage.LeaseContainer, $"timers/{definition.Name}", leaseDuration);
        var episode = new FailureEpisode($"Timer {definition.Name}", logger, time);

        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (!await lease.TryHoldAsync(ct))
                {
                    episode.Succeeded(); // storage answered: another replica runs this timer
                    await Task.Delay(renewEvery, time, ct);
                    continue;
                }
                var now = time.GetUtcNow();
                var next = new DateTimeOffset(schedule.GetNextOccurrence(now.UtcDateTime), TimeSpan.Zero);
                var wait = next - now;
                if (wait > renewEvery)
                {
                    await Task.Delay(renewEvery, time, ct); // wake to renew the lease, then look again
                    continue;
                }
                if (wait > TimeSpan.Zero) await Task.Delay(wait, time, ct);
                var summary = await metrics.InvokeAsync(definition, () => function.RunAsync(new TimerInvocation(next, IsPastDue: time.GetUtcNow() - next > renewEvery), ct));
                episode.Succeeded();
                LogRan(definition.Name, summary);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // A failing run or lease call must not stop the schedule; the next occurrence tries again.
                episode.Failed(ex);
                await Task.Delay(renewEvery, time, ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Timer {Function}: {Summary}")]
    private partial void LogRan(string function, string summary);
}
