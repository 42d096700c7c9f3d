using HyperFunctions.Configuration;
using HyperFunctions.Storage.Ledger;

namespace HyperFunctions.Functions.Hosting;

/// <summary>
/// Boots the ledger at start, then keeps probing while this process holds a local HALT, so the hold
/// lifts (and the episode is recorded) as soon as storage is usable, whoever runs the timers.
/// Runs in both hosting modes.
/// </summary>
public sealed partial class LedgerProber(SafetyLedger ledger, LoadedConfiguration configuration, TimeProvider time, ILogger<LedgerProber> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var boot = await ledger.BootAsync(cancellationToken);
        LogBooted(boot.GetType().Name);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(configuration.Settings.Storage.ProbeIntervalSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, time, stoppingToken);
                if (ledger.Hold is not null) await ledger.ProbeAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Safety ledger boot: {Outcome}")]
    private partial void LogBooted(string outcome);
}
