using HyperFunctions.Configuration;
using HyperFunctions.Domain.Copy;
using HyperFunctions.Domain.Execution;
using HyperFunctions.Functions.Execution;
using HyperFunctions.Hyperliquid.Rest;
using HyperFunctions.Storage.Copy;
using HyperFunctions.Storage.Execution;
using HyperFunctions.Storage.Streaming;

namespace HyperFunctions.Functions.Copy;

/// <summary>
/// Copy trading, one batch at a time (docs/copy-trading.md). Reads the target account's fills the keeper stored
/// (HfFills, in cursor order, never past the keeper's own cursor of the target: the keeper moves it only after the
/// fills it covers are stored), maps each with <see cref="CopyRules.Map"/>, records and queues each mirrored intent
/// through <see cref="OrderIntentSubmitter"/>, and only then advances its own ETag-guarded cursor. A crash before the
/// cursor moves re-derives the same intents (same source key, same cloid): the recorded ones are found, not doubled.
/// In Execution:Mode=backfill-only the cursor advances and no intent is created.
/// </summary>
public sealed partial class CopyTrader(
    LoadedConfiguration configuration,
    StreamFactsStore facts,
    CopyCursorStore cursors,
    OrderIntentSubmitter submitter,
    OrderStore orders,
    IHyperliquidInfoClient info,
    CopyTradingMonitor monitor,
    TimeProvider time,
    ILogger<CopyTrader> logger)
{
    public const string Actor = "copy-trading";
    private static readonly TimeSpan MetaLifetime = TimeSpan.FromMinutes(10);
    private readonly CopyTradingSettings _settings = configuration.Settings.CopyTrading;
    private readonly string? _own = VenuePositions.OwnAccountOf(configuration);
    private readonly SemaphoreSlim _one = new(1, 1);
    private Dictionary<string, int>? _szDecimals;
    private DateTimeOffset _metaAt;
    private DateTimeOffset? _lastBatch;

    public bool Enabled => _settings.Enabled && _settings.EffectiveTarget is not null;

    /// <summary>The plan the rules apply: ratio, slippage, the caps of each listed coin.</summary>
    public CopyPlan Plan { get; } = new(configuration.Settings.CopyTrading.Ratio, configuration.Settings.CopyTrading.Slippage,
        (configuration.Settings.CopyTrading.Coins ?? []).ToDictionary(kv => kv.Key, kv => new CopyCaps(kv.Value?.MaxOrderSize, kv.Value?.MaxPosition), StringComparer.Ordinal));

    /// <summary>The timer's entry: runs a batch when PollIntervalSeconds have passed since the last one.</summary>
    public Task<string> TickAsync(CancellationToken ct)
    {
        if (!Enabled) return Task.FromResult("disabled");
        var now = time.GetUtcNow();
        if (_lastBatch is { } last && now - last < TimeSpan.FromSeconds(_settings.PollIntervalSeconds) && now >= last) return Task.FromResult("not due");
        return RunBatchAsync(ct);
    }

    /// <summary>One batch now (tests call it directly). One batch at a time per process; another replica is held off by the cursor's ETag.</summary>
    public async Task<string> RunBatchAsync(CancellationToken ct)
    {
        if (!Enabled) return "disabled";
        await _one.WaitAsync(ct);
        try
        {
            _lastBatch = time.GetUtcNow();
            return await BatchAsync(_settings.EffectiveTarget!, ct);
        }
        finally
        {
            _one.Release();
        }
    }

    private async Task<string> BatchAsync(string target, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (string.Equals(target, _own, StringComparison.OrdinalIgnoreCase))
        {
            monitor.State("refused: the target is the own account", now);
            return "the target is the own account: nothing is copied";
        }
        var keeperCursor = await facts.ReadCursorIfAnyAsync(target, ct);
        if (keeperCursor is null)
        {
            monitor.State("waiting for the keeper's cursor of the target", now);
            return "waiting: the keeper has no cursor for the target yet";
        }

        var cursor = await cursors.ReadAsync(target, ct);
        if (cursor is null)
        {
            // First run: copying starts here. Fills the keeper stored before are history, not copied.
            var start = CopyPosition.At(keeperCursor.LastTime);
            try
            {
                cursor = await cursors.WriteAsync(target, null, start, now, ct);
            }
            catch (CopyCursorConflictException)
            {
                return "another replica started the cursor";
            }
            monitor.CursorAt(start, now);
            monitor.State("following", now);
            LogStarted(target, keeperCursor.LastTimeAt);
            monitor.Completed(new CopyBatchReport(0, 0, 0, new Dictionary<string, int>(), start, true, "started"));
            return $"started at {keeperCursor.LastTimeAt:O}";
        }
        monitor.CursorAt(cursor.Position, cursor.UpdatedAt);

        var stored = await facts.ReadFillsSinceIfAnyAsync(target, cursor.Position.Time - 1, ct);
        var pending = CopyRules.Pending(stored.Select(f => new TargetFill(f.Key, f.Coin, f.Side, f.Sz, f.Px, f.Time, f.Tid)), cursor.Position, keeperCursor.LastTime, _settings.MaxFillsPerBatch);
        if (pending.Count == 0)
        {
            monitor.State("following", now);
            return "no new fills";
        }

        var backfillOnly = configuration.Settings.Execution.Mode == ExecutionModes.BackfillOnly;
        var skipped = new Dictionary<string, int>(StringComparer.Ordinal);
        var (copied, already) = (0, 0);
        if (backfillOnly)
        {
            foreach (var _ in pending) monitor.Skipped(CopySkip.BackfillOnly);
            skipped[CopySkip.BackfillOnly.ToWire()] = pending.Count;
        }
        else
        {
            var decimals = await SizeDecimalsAsync(pending.Select(f => f.Coin), ct);
            var (exposure, venue) = await ExposureAsync(pending.Select(f => f.Coin), ct);
            foreach (var fill in pending)
            {
                var decision = CopyRules.Map(fill, Plan, decimals.TryGetValue(fill.Coin, out var d) ? d : null, exposure.Of(fill.Coin));
                if (decision.Intent is not { } intent)
                {
                    monitor.Skipped(decision.Skip!.Value);
                    var wire = decision.Skip!.Value.ToWire();
                    skipped[wire] = skipped.GetValueOrDefault(wire) + 1;
                    continue;
                }
                var submitted = await submitter.SubmitAsync(intent, Actor, existingWins: true, ct);
                var recorded = submitted.Record.Intent;
                // On its way until final (a replayed intent already final is in the venue position, or never filled).
                if (!submitted.Record.Status.IsTerminal()) exposure.Add(new OpenCopyOrder(recorded.Cloid, recorded.Coin, recorded.SignedSize));
                if (submitted.Created)
                {
                    copied++;
                    monitor.Copied(new LastCopied(fill.Key, recorded.Cloid, recorded.Coin, recorded.IsBuy ? "buy" : "sell", recorded.Size, decision.CappedBy, now));
                }
                else
                {
                    already++;
                    monitor.AlreadyRecorded();
                }
            }
            if (venue.Count > 0) // where each capped coin's position can go now, this batch's orders included
                monitor.Exposure([.. venue.Keys.Order(StringComparer.Ordinal).Select(c => new CoinExposure(c, venue[c], exposure.Of(c), exposure.OpenOrders(c)))], time.GetUtcNow());
        }

        var last = pending[^1];
        var to = new CopyPosition(last.Time, last.Tid, last.Key);
        var moved = true;
        try
        {
            cursor = await cursors.WriteAsync(target, cursor, to, time.GetUtcNow(), ct);
            monitor.CursorAt(to, cursor.UpdatedAt);
        }
        catch (CopyCursorConflictException)
        {
            moved = false; // another replica ran the same fills; the cloids made its intents and ours the same ones
        }
        monitor.State(backfillOnly ? "backfill-only: the cursor advances, nothing is copied" : "following", now);
        var reasons = skipped.Count == 0 ? "none" : string.Join(", ", skipped.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {kv.Value}"));
        var summary = $"{pending.Count} fills: {copied} copied, {already} already recorded, skipped: {reasons}; cursor {(moved ? "at " + last.Key : "moved by another replica")}";
        LogBatch(target, pending.Count, copied, already, reasons, moved ? last.Key : "(moved by another replica)", DateTimeOffset.FromUnixTimeMilliseconds(last.Time));
        monitor.Completed(new CopyBatchReport(pending.Count, copied, already, skipped, moved ? to : null, moved, summary));
        return summary;
    }

    /// <summary>Each coin's size decimals from the venue's meta, kept for <see cref="MetaLifetime"/> and read again when a coin is missing.</summary>
    private async Task<Dictionary<string, int>> SizeDecimalsAsync(IEnumerable<string> coins, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_szDecimals is null || now - _metaAt > MetaLifetime || coins.Any(c => Plan.Caps.ContainsKey(c) && !_szDecimals.ContainsKey(c)))
        {
            var meta = await info.GetMetaAsync(ct);
            _szDecimals = meta.Universe.GroupBy(a => a.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().SzDecimals, StringComparer.Ordinal);
            _metaAt = now;
        }
        return _szDecimals;
    }

    /// <summary>
    /// What MaxPosition is judged against for the batch's coins that have that cap: the own account's venue position
    /// (one clearinghouseState read) and the mirrored intents not final yet, from earlier batches too (the order store's
    /// open index: one range query, no scan). The open index is read FIRST: an intent that fills between the two reads
    /// is then counted twice (safe: less room until the next batch), never missed.
    /// </summary>
    private async Task<(CopyExposure Exposure, IReadOnlyDictionary<string, decimal> Venue)> ExposureAsync(IEnumerable<string> coins, CancellationToken ct)
    {
        var capped = coins.Where(c => Plan.Caps.TryGetValue(c, out var caps) && caps.MaxPosition is not null).ToHashSet(StringComparer.Ordinal);
        var positions = capped.ToDictionary(c => c, _ => 0m, StringComparer.Ordinal);
        if (capped.Count == 0) return (new CopyExposure(positions, []), positions);
        var open = new List<OpenCopyOrder>();
        foreach (var o in await orders.ListOpenAsync(ct))
        {
            if (o is { SourceKey: { } key, Coin: { } coin, SignedSize: { } signed })
            {
                if (key.StartsWith(CopyRules.SourcePrefix, StringComparison.Ordinal) && capped.Contains(coin)) open.Add(new OpenCopyOrder(o.Cloid, coin, signed));
            }
            else if (await orders.GetAsync(o.Cloid, ct) is { } r && !r.Status.IsTerminal() && r.Intent.SourceKey.StartsWith(CopyRules.SourcePrefix, StringComparison.Ordinal) && capped.Contains(r.Intent.Coin))
            {
                open.Add(new OpenCopyOrder(r.Intent.Cloid, r.Intent.Coin, r.Intent.SignedSize)); // an index row from before it carried the intent's facts
            }
        }
        if (_own is not null)
        {
            var state = await info.GetClearinghouseStateAsync(_own, ct);
            foreach (var p in state.AssetPositions.Where(p => capped.Contains(p.Position.Coin)))
                positions[p.Position.Coin] = positions.GetValueOrDefault(p.Position.Coin) + p.Position.Szi;
        }
        return (new CopyExposure(positions, open), positions);
    }

    [LoggerMessage(EventId = 1801, Level = LogLevel.Information, Message = "Copy trading of {Target} starts at the keeper's cursor ({From:O}); fills stored before are not copied")]
    private partial void LogStarted(string target, DateTimeOffset from);

    [LoggerMessage(EventId = 1802, Level = LogLevel.Information, Message = "Copy batch of {Target}: {Fills} fills, {Copied} intents created, {AlreadyRecorded} already recorded, skipped: {Skipped}; cursor at {CursorKey} ({CursorTime:O})")]
    private partial void LogBatch(string target, int fills, int copied, int alreadyRecorded, string skipped, string cursorKey, DateTimeOffset cursorTime);
}
