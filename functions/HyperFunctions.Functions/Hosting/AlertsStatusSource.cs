using HyperFunctions.Configuration;
using HyperFunctions.Domain.Alerts;
using HyperFunctions.Functions.Http;
using HyperFunctions.Storage;
using HyperFunctions.Storage.Alerts;

namespace HyperFunctions.Functions.Hosting;

/// <summary>
/// What GET /api/status shows under <c>alerts</c>, always from memory: the open alerts by level and the last delivery
/// outcome per channel, as the background refresh last read them from the alerts table (every
/// Storage:ProbeIntervalSeconds), with their age. Also feeds hf_alerts_open.
/// </summary>
public sealed class AlertsStatusSource(
    LoadedConfiguration configuration, AlertTableStore store, TimeProvider time, ILogger<AlertsStatusSource> logger, AlertMetrics? metrics = null)
    : MemoryRefresher("Alerts status refresh", configuration, time, logger)
{
    private readonly Lock _gate = new();
    private bool _tableReady;
    private IReadOnlyList<AlertState> _open = [];
    private IReadOnlyList<ChannelOutcome> _outcomes = [];
    private DateTimeOffset? _readAt;

    public AlertsView View(DateTimeOffset now)
    {
        IReadOnlyList<AlertState> open;
        IReadOnlyList<ChannelOutcome> outcomes;
        DateTimeOffset? readAt;
        lock (_gate) (open, outcomes, readAt) = (_open, _outcomes, _readAt);
        var byLevel = Enum.GetValues<AlertLevel>().ToDictionary(l => ((int)l).ToString(System.Globalization.CultureInfo.InvariantCulture), l => open.Count(a => a.Level == l), StringComparer.Ordinal);
        var channels = (Configuration.Settings.Alerts.Channels ?? []).Select(c =>
        {
            var last = outcomes.FirstOrDefault(o => o.Channel == c.Name);
            return new AlertChannelView(c.Name, c.Kind, c.Enabled, last?.Outcome, last?.At, last?.Detail, last?.AlertKey);
        }).ToArray();
        var highest = open.Count == 0 ? (int?)null : (int)open.Max(a => a.Level);
        return new AlertsView(open.Count, byLevel, highest, channels, readAt, readAt is { } at ? Math.Round(Math.Max(0, (now - at).TotalSeconds), 1) : null);
    }

    protected override async Task RefreshOnceAsync(CancellationToken ct)
    {
        if (!_tableReady)
        {
            await StorageTimeout.BoundAsync(store.EnsureTableAsync, Budget, ct);
            _tableReady = true;
        }
        await RefreshAsync(Budget, ct);
    }

    /// <summary>One read of the table into memory (the loop's step; tests call it to avoid waiting for the interval).</summary>
    public async Task RefreshAsync(TimeSpan budget, CancellationToken ct)
    {
        var rows = await StorageTimeout.BoundAsync(store.ReadAllAsync, budget, ct);
        var outcomes = await StorageTimeout.BoundAsync(store.ReadOutcomesAsync, budget, ct);
        var open = rows.Select(r => r.State).Where(s => s.IsOpen).ToArray();
        lock (_gate) (_open, _outcomes, _readAt) = (open, outcomes, Time.GetUtcNow());
        metrics?.ReportOpen(Enum.GetValues<AlertLevel>().ToDictionary(l => l, l => open.Count(a => a.Level == l)));
    }
}
