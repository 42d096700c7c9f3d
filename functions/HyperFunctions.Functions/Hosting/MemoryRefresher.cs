using HyperFunctions.Configuration;
using HyperFunctions.Storage;

namespace HyperFunctions.Functions.Hosting;

/// <summary>
/// The background loop behind every status section that answers from memory: read storage every
/// Storage:ProbeIntervalSeconds (each call bounded by Storage:OperationTimeoutSeconds through
/// <see cref="Budget"/>), keep the result, and tell a run of failures as one story. A step that finds
/// nothing written yet is not a failure.
/// </summary>
public abstract class MemoryRefresher(string operation, LoadedConfiguration configuration, TimeProvider time, ILogger logger) : BackgroundService
{
    private readonly FailureEpisode _episode = new(operation, logger, time);

    protected TimeSpan Budget { get; } = TimeSpan.FromSeconds(configuration.Settings.Storage.OperationTimeoutSeconds);

    protected TimeProvider Time => time;

    protected LoadedConfiguration Configuration => configuration;

    /// <summary>False to keep the loop off (e.g. the facts come from an in-process source instead).</summary>
    protected virtual bool Enabled => true;

    /// <summary>One read into memory; throws on failure.</summary>
    protected abstract Task RefreshOnceAsync(CancellationToken ct);

    /// <summary>True for a failure that only means "nothing written yet" (e.g. a table that does not exist).</summary>
    protected virtual bool IsNothingYet(Exception exception) => false;

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled) return;
        var interval = TimeSpan.FromSeconds(configuration.Settings.Storage.ProbeIntervalSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RefreshOnceAsync(stoppingToken);
                _episode.Succeeded();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (IsNothingYet(ex))
            {
                _episode.Succeeded();
            }
            catch (Exception ex)
            {
                _episode.Failed(ex);
            }
            try { await Task.Delay(interval, time, stoppingToken); }
            catch (OperationCanceledException) { break; }
        }
    }
}
