using Azure;
using HyperFunctions.Configuration;
using HyperFunctions.Domain.Streaming;
using HyperFunctions.Functions.Http;
using HyperFunctions.Storage;
using HyperFunctions.Storage.Streaming;
using HyperFunctions.Streaming;

namespace HyperFunctions.Functions.Hosting;

/// <summary>
/// What GET /api/status shows under <c>stream</c> and <c>markets</c>, always from memory. With the keeper in
/// this process (Hosting:RunKeeper) it is the keeper's own state; otherwise the heartbeat and market rows
/// as the background refresh last read them (every Storage:ProbeIntervalSeconds), with their age.
/// </summary>
public sealed partial class StreamFactsSource(
    LoadedConfiguration configuration, StorageClients storage, TimeProvider time, ILogger<StreamFactsSource> logger, StreamKeeper? keeper = null)
    : MemoryRefresher("Stream facts refresh", configuration, time, logger)
{
    private readonly Lock _gate = new();
    private readonly StreamFactsStore _store = new(storage.Tables, configuration.Settings.Keeper.TablePrefix, configuration.Settings.Deployment.InstanceId);
    private KeeperHeartbeat? _heartbeat;
    private IReadOnlyList<MarketFact> _markets = [];
    private DateTimeOffset? _readAt;

    public (StreamView Stream, IReadOnlyDictionary<string, MarketView> Markets) View(DateTimeOffset now)
    {
        if (keeper is not null)
        {
            var s = keeper.Snapshot();
            var stream = new StreamView("in-process", s.Connected, s.Source.ToWire(), s.LastMessageAt, Age(s.LastMessageAt, now), s.ReconnectsTotal,
                s.Leader, s.HeartbeatWrittenAt, Age(s.HeartbeatWrittenAt, now), s.Ready, s.BadInputs, now);
            return (stream, Markets(s.Markets, now));
        }
        lock (_gate)
        {
            if (_heartbeat is not { } h)
                return (new StreamView("none", null, null, null, null, null, null, null, null, null, null, _readAt), Markets(_markets, now));
            var stream = new StreamView("storage", h.Connected, h.Source.ToWire(), h.LastMessageAt, Age(h.LastMessageAt, now), h.ReconnectsTotal,
                h.Leader, h.WrittenAt, Age(h.WrittenAt, now), null, h.BadInputs, _readAt);
            return (stream, Markets(_markets, now));
        }
    }

    protected override bool Enabled => keeper is null; // in-process: the keeper's memory is the source

    protected override async Task RefreshOnceAsync(CancellationToken ct)
    {
        var heartbeat = await StorageTimeout.BoundAsync(_store.ReadHeartbeatAsync, Budget, ct);
        var markets = await StorageTimeout.BoundAsync(_store.ReadMarketsAsync, Budget, ct);
        lock (_gate)
        {
            (_heartbeat, _markets, _readAt) = (heartbeat, markets, Time.GetUtcNow());
        }
    }

    protected override bool IsNothingYet(Exception exception) => exception is RequestFailedException { Status: 404 }; // no keeper has written yet

    private static Dictionary<string, MarketView> Markets(IReadOnlyList<MarketFact> facts, DateTimeOffset now) =>
        facts.ToDictionary(m => m.Coin, m => new MarketView(m.Mid, m.BestBid, m.BestAsk, m.BookAt, Age(m.BookAt, now),
            m.Funding, m.MarkPx, m.OraclePx, m.FundingAt, Age(m.FundingAt, now), m.Source.ToWire()), StringComparer.Ordinal);

    private static double? Age(DateTimeOffset? at, DateTimeOffset now) => at is { } a ? Math.Round(Math.Max(0, (now - a).TotalSeconds), 1) : null;
}
