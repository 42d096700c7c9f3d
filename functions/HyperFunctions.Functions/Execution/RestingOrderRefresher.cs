using HyperFunctions.Configuration;
using HyperFunctions.Domain.Execution;
using HyperFunctions.Storage;
using HyperFunctions.Storage.Execution;

namespace HyperFunctions.Functions.Execution;

/// <summary>What one resting-order refresh pass did.</summary>
public sealed record RestingRefreshPass(int Checked, int Filled, int Canceled, int OtherChanges, int Unchanged, int UnknownAtVenue, int Failed)
{
    public int Changed => Filled + Canceled + OtherChanges;

    public override string ToString() =>
        $"checked {Checked}: filled {Filled}, canceled {Canceled}, other changes {OtherChanges}, unchanged {Unchanged}, unknown at the venue {UnknownAtVenue}, failed {Failed}";
}

/// <summary>
/// Writes back what the venue did by itself to orders the order table holds as RESTING or ACCEPTED: a later fill, a
/// cancel by the venue's scheduleCancel dead man's switch, a margin cancel, a manual cancel in the venue's UI, a kill
/// switch of another process. Each pass reads up to Execution:RestingRefresh:MaxPerRun intents from the resting index
/// (a range query, never a scan of every order; round-robin across passes through an in-memory cursor), asks the
/// adapter by cloid (<see cref="IExecutionAdapter.FindAsync"/>, the look-up the UNKNOWN resolver uses: orderStatus for
/// Hyperliquid) and records what changed: FILLED, CANCELED or REJECTED with the venue's status text, RESTING again when
/// only the filled size grew (a partial fill). Nothing changes → nothing is written. These look-ups do not count
/// against the retry budget: the order's fate is known, only its later life is followed. One log line per change; a
/// run of failures is one story; a cloid the venue does not know is logged once.
/// </summary>
public sealed partial class RestingOrderRefresher(
    OrderStore store, ExecutionAdapterChoice choice, LoadedConfiguration configuration, ExecutionMonitor monitor, TimeProvider time, ILogger<RestingOrderRefresher> logger)
{
    public const string Actor = "refresh";
    private readonly int _maxPerRun = configuration.Settings.Execution.RestingRefresh.MaxPerRun;
    private readonly FailureEpisode _failures = new("Resting-order refresh look-ups", logger, time); // one story per outage, not one line per pass
    private readonly FailureEpisode _priceFailures = new("Resting-order refresh fill prices", logger, time);
    private readonly HashSet<string> _reportedUnknown = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private string? _cursor;

    private enum Step
    {
        Filled,
        Canceled,
        OtherChange,
        Unchanged,
        UnknownAtVenue,
    }

    public async Task<RestingRefreshPass> RunAsync(CancellationToken ct)
    {
        await _oneAtATime.WaitAsync(ct); // the timer and a test (or two timer runs) never share the cursor
        try
        {
            return await RunOnceAsync(ct);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private async Task<RestingRefreshPass> RunOnceAsync(CancellationToken ct)
    {
        var batch = await NextBatchAsync(ct);
        if (choice.Adapter is not { } adapter)
        {
            var idle = new RestingRefreshPass(batch.Count, 0, 0, 0, batch.Count, 0, 0); // nothing to ask (the instance is HALTed for it)
            monitor.RestingRefreshDone(new RestingRefreshRun(time.GetUtcNow(), idle));
            return idle;
        }
        int filled = 0, canceled = 0, other = 0, unchanged = 0, unknown = 0, failed = 0;
        void Count(Step step)
        {
            switch (step)
            {
                case Step.Filled: filled++; break;
                case Step.Canceled: canceled++; break;
                case Step.OtherChange: other++; break;
                case Step.UnknownAtVenue: unknown++; break;
                default: unchanged++; break;
            }
        }

        // First ask the venue about each intent; then, for the fills among the changes, one query for their prices;
        // then write. Each failure counts for its own intent only.
        var changes = new List<Change>();
        foreach (var resting in batch)
        {
            try
            {
                var (step, change) = await ExamineAsync(resting, adapter, ct);
                if (change is null) Count(step);
                else changes.Add(change);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                failed++;
                _failures.Failed(ex);
            }
        }
        var prices = await PricesAsync(changes, adapter, ct);
        foreach (var change in changes)
        {
            try
            {
                Count(await WriteAsync(change, prices.TryGetValue(change.Record.Intent.Cloid, out var price) ? price : null, ct));
            }
            catch (OrderConflictException)
            {
                unchanged++; // another writer (a cancel, the executor) changed it meanwhile; the next pass looks again
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                failed++;
                _failures.Failed(ex);
            }
        }
        if (failed == 0) _failures.Succeeded();
        var pass = new RestingRefreshPass(batch.Count, filled, canceled, other, unchanged, unknown, failed);
        monitor.RestingRefreshDone(new RestingRefreshRun(time.GetUtcNow(), pass));
        if (pass.Changed + failed > 0) LogPass(pass.ToString());
        return pass;
    }

    /// <summary>Up to MaxPerRun index rows after the cursor, wrapping around to the start; the cursor moves to the last one taken.</summary>
    private async Task<IReadOnlyList<RestingOrder>> NextBatchAsync(CancellationToken ct)
    {
        var after = _cursor;
        var batch = (await store.ListRestingAsync(after, _maxPerRun, ct)).ToList();
        var sawAll = after is null && batch.Count < _maxPerRun;
        if (after is not null && batch.Count < _maxPerRun)
        {
            // Wrap: from the start up to (and including) the cursor, which the first query did not cover.
            var room = _maxPerRun - batch.Count;
            var wrapped = await store.ListRestingAsync(null, room, ct);
            var head = wrapped.Where(o => string.CompareOrdinal(o.Cloid, after) <= 0).ToList();
            sawAll = head.Count < wrapped.Count || wrapped.Count < room; // reached the rows already taken, or the index ended
            batch.AddRange(head);
        }
        _cursor = sawAll || batch.Count == 0 ? null : batch[^1].Cloid;
        return batch;
    }

    /// <summary>What the venue said of one intent that differs from the table: written after the pass's price query.</summary>
    private sealed record Change(OrderRecord Record, PlacementOutcome Found, decimal? FilledSize);

    /// <summary>Asks the venue about one intent: a change to write, or (no change) the step to count now.</summary>
    private async Task<(Step Step, Change? Change)> ExamineAsync(RestingOrder resting, IExecutionAdapter adapter, CancellationToken ct)
    {
        var record = await store.GetAsync(resting.Cloid, ct);
        if (record is null || !record.Status.MayRestAtVenue())
        {
            await store.DropStaleRestingAsync(resting.Cloid, ct);
            return (Step.Unchanged, null);
        }

        var found = await adapter.FindAsync(record.Intent.Cloid, ct);
        if (found is null)
        {
            // The venue answered but does not know a cloid it once took. Left as it is (nothing is known to have
            // changed), said once per cloid in this process, counted in every pass summary.
            if (Remember(record.Intent.Cloid)) LogUnknownAtVenue(record.Intent.Cloid, record.Status.ToWire());
            return (Step.UnknownAtVenue, null);
        }
        Forget(record.Intent.Cloid);
        var filledSize = found.Venue?.FilledSize ?? record.Venue.FilledSize;
        if (found.Status == record.Status && (filledSize ?? 0m) == (record.Venue.FilledSize ?? 0m)) return (Step.Unchanged, null);
        return (Step.Unchanged, new Change(record, found, filledSize)); // the step is counted after the write
    }

    /// <summary>
    /// The average fill prices of the changes whose filled size grew (orderStatus has no price): one query for the whole
    /// pass, from the oldest placement among them. Empty when none grew or the query failed (said once per outage): the status is
    /// recorded either way, the price only completes it.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, decimal>> PricesAsync(List<Change> changes, IExecutionAdapter adapter, CancellationToken ct)
    {
        var grown = changes.Where(c => c.FilledSize is > 0 && c.FilledSize != c.Record.Venue.FilledSize).ToList();
        if (grown.Count == 0) return new Dictionary<string, decimal>();
        try
        {
            // From the oldest placement on the venue's own clock (the submission time on ours when the venue gave none).
            var since = grown.Min(c => c.Found.PlacedAt ?? c.Record.CreatedAt);
            var prices = await adapter.AverageFillPricesAsync(since, grown.ToDictionary(c => c.Record.Intent.Cloid, c => c.FilledSize!.Value), ct);
            _priceFailures.Succeeded();
            return prices;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            _priceFailures.Failed(ex);
            return new Dictionary<string, decimal>();
        }
    }

    private async Task<Step> WriteAsync(Change change, decimal? price, CancellationToken ct)
    {
        var (record, found, filledSize) = change;
        var facts = new VenueFacts(found.Venue?.Oid ?? record.Venue.Oid, filledSize, price ?? found.Venue?.AveragePrice ?? record.Venue.AveragePrice);
        var reason = found.Status == record.Status
            ? $"{found.Reason} Partially filled: {filledSize?.ToString(System.Globalization.CultureInfo.InvariantCulture)} of {record.Intent.Size.ToString(System.Globalization.CultureInfo.InvariantCulture)}; written back by the resting-order refresh."
            : $"{found.Reason} Written back by the resting-order refresh.";
        var now = time.GetUtcNow();
        await store.TransitionAsync(record, found.Status, reason, facts, Actor, now, ct);
        monitor.Recorded(record.Intent, found.Status, reason, now);
        monitor.Refreshed(found.Status.ToWire());
        LogChanged(record.Intent.Cloid, record.Status.ToWire(), found.Status.ToWire(), found.VenueStatus ?? "none", reason);
        return found.Status switch
        {
            OrderStatus.Filled => Step.Filled,
            OrderStatus.Canceled => Step.Canceled,
            _ => Step.OtherChange,
        };
    }

    private bool Remember(string cloid)
    {
        lock (_reportedUnknown) return _reportedUnknown.Add(cloid);
    }

    private void Forget(string cloid)
    {
        lock (_reportedUnknown) _reportedUnknown.Remove(cloid);
    }

    [LoggerMessage(EventId = 1050, Level = LogLevel.Information, Message = "Order {Cloid}: {From} -> {To} at the venue (venue status {VenueStatus}), written back by the resting-order refresh. {Reason}")]
    private partial void LogChanged(string cloid, string from, string to, string venueStatus, string reason);

    [LoggerMessage(EventId = 1051, Level = LogLevel.Warning, Message = "Order {Cloid} is {Status} in the order table but the venue does not know its cloid; left as it is")]
    private partial void LogUnknownAtVenue(string cloid, string status);

    [LoggerMessage(EventId = 1052, Level = LogLevel.Information, Message = "Resting-order refresh: {Pass}")]
    private partial void LogPass(string pass);
}
