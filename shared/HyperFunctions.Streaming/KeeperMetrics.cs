using System.Diagnostics.Metrics;
using HyperFunctions.Domain.Streaming;

namespace HyperFunctions.Streaming;

/// <summary>
/// The keeper's metrics on the project's Meter (names and conventions in docs/observability.md): all
/// observable, read from <see cref="StreamKeeper.Snapshot"/>, so every series exists from the start. No
/// coin or account label (unbounded): book and funding ages are the oldest over the configured coins.
/// </summary>
public sealed class KeeperMetrics
{
    public const string MeterName = "HyperFunctions";

    public KeeperMetrics(IMeterFactory meters, StreamKeeper keeper, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(keeper);
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("hf.keeper.leader", () => keeper.Snapshot().IsLeader ? 1 : 0, null,
            "1 while this keeper holds the lease and writes; 0 on a standby.");
        meter.CreateObservableGauge("hf.keeper.may_lead", () => keeper.Snapshot().MayLead ? 1 : 0, null,
            "1 while this keeper may lead (its Failover:Site is the active site, or failover is off); 0 on a passive site's keeper.");
        meter.CreateObservableGauge("hf.keeper.ready", () => keeper.Snapshot().Ready ? 1 : 0, null,
            "1 while this keeper is ready (tables reachable and data arriving by socket or REST).");
        meter.CreateObservableGauge("hf.keeper.data_source", () =>
        {
            var source = keeper.Snapshot().Source;
            return new[]
            {
                new Measurement<int>(source == DataSource.WebSocket ? 1 : 0, new KeyValuePair<string, object?>("source", "websocket")),
                new Measurement<int>(source == DataSource.Rest ? 1 : 0, new KeyValuePair<string, object?>("source", "rest")),
            };
        }, null, "1 for the data source the facts come from now (websocket or rest), 0 for the other.");
        meter.CreateObservableGauge("hf.keeper.heartbeat.age", () => Ages(keeper.Snapshot().HeartbeatWrittenAt is { } at ? [at] : [], time), "s",
            "Seconds since this keeper last wrote its heartbeat row (absent before the first; a standby writes none).");
        meter.CreateObservableGauge("hf.keeper.book.age.max", () => Ages(keeper.Snapshot().Markets.Select(m => m.BookAt), time), "s",
            "Age of the oldest venue book time over the configured coins (absent before every coin has a book).");
        meter.CreateObservableGauge("hf.keeper.funding.age.max", () => Ages(keeper.Snapshot().Markets.Select(m => m.FundingAt), time), "s",
            "Seconds since the funding/mark/oracle context of the least recently updated coin arrived.");
        meter.CreateObservableCounter("hf.keeper.storage.writes", () => keeper.Snapshot().StorageWrites, "{write}",
            "Successful storage writes of the keeper (one per row batch, heartbeat, cursor or event).");
        meter.CreateObservableCounter("hf.keeper.fills.written", () => keeper.Snapshot().FillsWritten, "{fill}",
            "Fills written (idempotent upserts, so a repeat after a reconnect counts again but stores one row).");
        meter.CreateObservableCounter("hf.keeper.order_updates.written", () => keeper.Snapshot().OrderUpdatesWritten, "{update}",
            "Order updates written.");
        meter.CreateObservableCounter("hf.keeper.rest_polls", () => keeper.Snapshot().RestPolls, "{poll}",
            "REST polling rounds while on the fallback path.");
        meter.CreateObservableCounter("hf.keeper.bad_inputs", () => keeper.Snapshot().BadInputs, "{input}",
            "Corrupt or unexpected venue input (corrupt frames, unknown channels, unexpected coins or users, REST answers of the wrong shape).");
    }

    private static Measurement<double>[] Ages(IEnumerable<DateTimeOffset?> times, TimeProvider time)
    {
        var list = times.ToList();
        if (list.Count == 0 || list.Any(t => t is null)) return [];
        var now = time.GetUtcNow();
        return [new Measurement<double>(Math.Max(0, (now - list.Min()!.Value).TotalSeconds))];
    }
}
