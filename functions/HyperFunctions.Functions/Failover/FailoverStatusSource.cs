using HyperFunctions.Configuration;
using HyperFunctions.Domain.Failover;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Storage;
using HyperFunctions.Storage.Failover;

namespace HyperFunctions.Functions.Failover;

/// <summary>
/// Keeps <see cref="FailoverMemory"/> fresh for GET /api/status, the metrics and the order gate: reads the
/// state row and the newest run every Storage:ProbeIntervalSeconds (bounded by Storage:OperationTimeoutSeconds).
/// </summary>
public sealed class FailoverStatusSource(
    LoadedConfiguration configuration, FailoverConfig config, FailoverStore store, FailoverMemory memory, TimeProvider time, ILogger<FailoverStatusSource> logger)
    : MemoryRefresher("Failover status refresh", configuration, time, logger)
{
    private bool _tableReady;

    protected override bool Enabled => config.Enabled;

    protected override async Task RefreshOnceAsync(CancellationToken ct)
    {
        if (!_tableReady)
        {
            await StorageTimeout.BoundAsync(store.EnsureTableAsync, Budget, ct);
            _tableReady = true;
        }
        await RefreshAsync(ct);
    }

    /// <summary>One read into memory (the loop's step; the gate calls it when its memory is too old).</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        var snapshot = await StorageTimeout.BoundAsync(store.ReadAsync, Budget, ct);
        memory.Remember(snapshot?.Record ?? Domain.Failover.FailoverRecord.Genesis(config.Primary), Time.GetUtcNow());
        var runs = await StorageTimeout.BoundAsync(c => store.ReadRunsAsync(1, c), Budget, ct);
        if (runs.Count > 0) memory.RememberRun(runs[0]);
    }
}

/// <summary>
/// The SITE_PASSIVE gate: whether this process's site is the active one. Trusts memory younger than
/// Failover:ActiveSiteCacheSeconds, else reads the state row. When the active site cannot be read, the
/// process counts as passive (it never places an order on a marker it could not read).
/// </summary>
public sealed class ActiveSiteGate(FailoverConfig config, FailoverStore store, FailoverMemory memory, LoadedConfiguration configuration, TimeProvider time)
{
    /// <summary>Failover:PassiveHandBackSeconds: how long a passive process hands an intent back to the queue before it blocks it.</summary>
    public TimeSpan HandBackFor => config.HandBackFor;

    public async Task<(bool Active, string Reason)> CheckAsync(CancellationToken ct)
    {
        if (!config.Enabled) return (true, "Failover is off: every process is active.");
        var (record, readAt, _) = memory.Snapshot();
        var now = time.GetUtcNow();
        if (record is null || readAt is null || now - readAt.Value > config.CacheFor)
        {
            try
            {
                var snapshot = await StorageTimeout.BoundAsync(store.ReadAsync, TimeSpan.FromSeconds(configuration.Settings.Storage.OperationTimeoutSeconds), ct);
                record = snapshot?.Record ?? Domain.Failover.FailoverRecord.Genesis(config.Primary);
                memory.Remember(record, now);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested && ex is not Azure.RequestFailedException { Status: 404 })
            {
                return (false, $"{Domain.Failover.FailoverWire.SitePassive}: the active site could not be read ({FailureEpisode.OneLine(ex)}); this process ({config.ThisSite}) places no order meanwhile.");
            }
            catch (Azure.RequestFailedException ex) when (ex.Status == 404)
            {
                record = Domain.Failover.FailoverRecord.Genesis(config.Primary); // no table yet: nothing ever switched
            }
        }
        return string.Equals(record.ActiveSite, config.ThisSite, StringComparison.OrdinalIgnoreCase)
            ? (true, $"Site {config.ThisSite} is active.")
            : (false, $"{Domain.Failover.FailoverWire.SitePassive}: this process runs site {config.ThisSite}; the active site is {record.ActiveSite} ({record.State.ToWire()}). New orders are refused here; cancels are allowed.");
    }
}
