using HyperFunctions.Configuration;
using HyperFunctions.Domain.Safety;
using HyperFunctions.Storage.Ledger;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HyperFunctions.Storage.Processes;

/// <summary>
/// Boots the ledger at start, then every Storage:ProbeIntervalSeconds reads it (so GET /api/status, which
/// answers from memory, is never older than one interval while storage works, and a local hold lifts as
/// soon as storage is usable) and refreshes this process's registration. Marks the process stopped on a
/// clean shutdown. Runs in every process of an instance (the function app in both hosting modes, the standalone
/// keeper); one bad iteration never ends the loop.
/// </summary>
public sealed partial class LedgerProber(
    SafetyLedger ledger, ProcessRegistry registry, LoadedConfiguration configuration, TimeProvider time, ILogger<LedgerProber> logger) : BackgroundService
{
    private readonly TimeSpan _operationTimeout = TimeSpan.FromSeconds(configuration.Settings.Storage.OperationTimeoutSeconds);
    private readonly FailureEpisode _registryEpisode = new("Process registration", logger, time);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var boot = await ledger.BootAsync(cancellationToken);
        LogBooted(registry.Self.ProcessId, registry.Self.HostingMode, Describe(boot));
        await RefreshRegistrationAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (ledger.Hold is not null) return; // storage is out: the row simply ages out of the list
        try
        {
            await StorageTimeout.BoundAsync(registry.MarkStoppedAsync, _operationTimeout, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogStopNotRecorded(FailureEpisode.OneLine(ex));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(configuration.Settings.Storage.ProbeIntervalSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, time, stoppingToken);
                await ledger.ProbeAsync(stoppingToken); // a failure here is the ledger's own hold: it logs the episode
                await RefreshRegistrationAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                _registryEpisode.Failed(ex);
            }
        }
    }

    private async Task RefreshRegistrationAsync(CancellationToken ct)
    {
        if (ledger.Hold is not null) return; // nothing to gain from a second failing call per probe
        var window = TimeSpan.FromSeconds(configuration.Settings.Api.ProcessWindowSeconds);
        try
        {
            await StorageTimeout.BoundAsync(t => registry.RefreshAsync(window, t), _operationTimeout, ct);
            _registryEpisode.Succeeded();
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            _registryEpisode.Failed(ex);
        }
    }

    private static string Describe(LedgerResult result) => result switch
    {
        LedgerResult.Applied a => $"v{a.Record.Version} {a.Record.To.ToWire()} ({a.Record.Reason.ToWire()})",
        LedgerResult.Unchanged u => "unchanged: " + u.Why,
        LedgerResult.Rejected r => $"refused ({r.Code}): {r.Why}",
        LedgerResult.Unavailable u => $"storage unusable, local HALT ({u.Hold.Reason.ToWire()})",
        _ => result.ToString(),
    };

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Process {ProcessId} ({HostingMode}) started; safety ledger boot: {Outcome}")]
    private partial void LogBooted(string processId, string hostingMode, string outcome);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Could not record this process as stopped: {Cause}")]
    private partial void LogStopNotRecorded(string cause);
}
