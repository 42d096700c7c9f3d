using System.Threading.Channels;
using HyperFunctions.Domain;
using HyperFunctions.Domain.Alerts;
using HyperFunctions.Domain.Safety;
using HyperFunctions.Storage;
using HyperFunctions.Storage.Ledger;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HyperFunctions.Alerts;

/// <summary>
/// Ledger transitions as alerts: a transition this process commits into HALT signals <c>ledger:halt</c> at level 4;
/// one that leaves HALT resolves it. The ledger calls <see cref="Applied"/> on its committing thread, so this only
/// queues the signal; a background loop hands it to the <see cref="IAlertSink"/> and, while storage refuses, tries
/// again (a newer signal replaces an older one that has not gone through).
/// </summary>
public sealed class LedgerAlertSignaller(IAlertSink sink, TimeProvider time, ILogger<LedgerAlertSignaller> logger) : BackgroundService, ISafetyLedgerObserver
{
    public const string HaltKey = "ledger:halt";
    private static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(5);

    private readonly Channel<AlertSignal> _pending = Channel.CreateBounded<AlertSignal>(
        new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private readonly FailureEpisode _episode = new("Ledger alert signal", logger, time);

    /// <summary>The signal a transition makes, or null when it neither enters nor leaves HALT.</summary>
    public static AlertSignal? SignalFor(SafetyTransition record, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        var wasHalt = record.From == SafetyMode.Halt;
        var isHalt = record.To == SafetyMode.Halt;
        if (wasHalt == isHalt) return null;
        var from = record.From?.ToWire() ?? "NONE";
        return isHalt
            ? new AlertSignal(HaltKey, AlertLevel.EmergencyHalt, true, $"Trading halted: {record.Reason.ToWire()}",
                $"{from} -> HALT by {record.Actor}: {record.Message} (ledger v{record.Version}).", "ledger", record.At == default ? now : record.At)
            : new AlertSignal(HaltKey, AlertLevel.EmergencyHalt, false, "Trading no longer halted",
                $"HALT -> {record.To.ToWire()} ({record.Reason.ToWire()}) by {record.Actor}: {record.Message} (ledger v{record.Version}).", "ledger", record.At == default ? now : record.At);
    }

    public void Applied(SafetyTransition record, SafetyState state)
    {
        if (SignalFor(record, time.GetUtcNow()) is { } signal) _pending.Writer.TryWrite(signal);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _pending.Reader.WaitToReadAsync(stoppingToken))
            {
                while (_pending.Reader.TryRead(out var signal))
                {
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        try
                        {
                            await sink.SignalAsync(signal, stoppingToken);
                            _episode.Succeeded();
                            break;
                        }
                        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                        {
                            _episode.Failed(ex);
                            if (_pending.Reader.Count > 0) break; // a newer transition says more; it goes next
                            await Task.Delay(RetryEvery, time, stoppingToken);
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
