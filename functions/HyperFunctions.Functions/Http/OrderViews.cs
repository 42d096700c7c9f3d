using System.Text.Json.Serialization;
using HyperFunctions.Domain.Execution;
using HyperFunctions.Functions.Execution;
using HyperFunctions.Storage.Execution;

namespace HyperFunctions.Functions.Http;

/// <summary>Answer to POST /api/orders.</summary>
public sealed record OrderAcceptedResponse(string IntentId, string Cloid);

public sealed record OrderChangeView(int Sequence, string Status, string? Reason, DateTimeOffset At, string Actor);

/// <summary>An intent with its current result, what it used of its retry budget, and every state change, oldest first.</summary>
public sealed record OrderView(
    string Cloid, string IntentId, string Coin, string Side, string Size, string Type, string? LimitPrice, string? Slippage, string Tif, bool ReduceOnly,
    string Status, string? Reason, long? Oid, string? FilledSize, string? AveragePrice, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    int Attempts, DateTimeOffset? FirstAttemptAt, bool RetryBudgetExceeded, OrderChangeView[] Changes)
{
    public static OrderView Of(OrderRecord r, IReadOnlyList<OrderChange> changes)
    {
        var wire = OrderIntentMessage.From(r.Intent).Intent;
        return new OrderView(r.Intent.Cloid, r.Intent.SourceKey, r.Intent.Coin, wire.Side!, wire.Size!, wire.Type!, wire.LimitPrice, wire.Slippage, wire.Tif!, r.Intent.ReduceOnly,
            r.Status.ToWire(), r.Reason, r.Venue.Oid, Text(r.Venue.FilledSize), Text(r.Venue.AveragePrice), r.CreatedAt, r.UpdatedAt,
            r.Attempts.Count, r.Attempts.FirstAt, r.Attempts.BudgetExceeded,
            changes.Select(c => new OrderChangeView(c.Sequence, c.Status.ToWire(), c.Reason, c.At, c.Actor)).ToArray());
    }

    private static string? Text(decimal? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Answer to GET /api/orders: the intents, and the latest process starts recorded in dry-run mode (the runbook's emit_boot_event).</summary>
public sealed record OrderListResponse(OrderView[] Items, BootEventView[] BootEvents);

public sealed record BootEventView(DateTimeOffset At, string Process, string Mode, string Message);

/// <summary>
/// The execution section of GET /api/status, from memory: this process's in-flight count, UNKNOWN results it
/// recorded and last result; and, as the background refresh last read them (<c>readAt</c>), the queue depth and
/// the instance's open intents in storage (UNKNOWN, SENDING, budget exceeded) and its intents that may still rest at the
/// venue (RESTING, ACCEPTED: the resting index); lastKillSwitch: the last kill switch this process ran; lastRestingRefresh:
/// the last pass of the resting-order refresh this process ran (null before its first, or when another replica runs the timer);
/// handedBack: deliveries this process put back on the queue because its failover site is passive (SITE_PASSIVE hand-back);
/// maxIntentAgeSeconds: Execution:MaxIntentAgeSeconds, the age past which an intent is never sent (0: no limit).
/// </summary>
public sealed record ExecutionView(
    string Mode, string Adapter, bool AdapterImplemented, int InFlight, long UnknownCount, LastOrderResult? LastResult,
    long? QueueDepth, int? UnknownOpen, int? SendingOpen, int? RetryBudgetExceededOpen, string RetryBudgetMode, DateTimeOffset? ReadAt,
    KillSwitchView? LastKillSwitch = null, int? RestingOpen = null, int? AcceptedOpen = null, RestingRefreshView? LastRestingRefresh = null,
    long HandedBack = 0, int MaxIntentAgeSeconds = 0);

/// <summary>One pass of the resting-order refresh: when, how many intents it asked the venue about, and what it wrote back.</summary>
public sealed record RestingRefreshView(DateTimeOffset At, int Checked, int Filled, int Canceled, int OtherChanges, int Unchanged, int UnknownAtVenue, int Failed)
{
    public static RestingRefreshView Of(RestingRefreshRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var p = run.Pass;
        return new(run.At, p.Checked, p.Filled, p.Canceled, p.OtherChanges, p.Unchanged, p.UnknownAtVenue, p.Failed);
    }
}

/// <summary>
/// Answer to POST /api/orders/{cloid}/cancel when the order is (now) cancelled: <c>result</c> is <c>cancelled</c> (this
/// request cancelled it at the venue) or <c>already_cancelled</c> (the venue had cancelled it before, e.g. scheduleCancel);
/// the venue's status text, a sentence, the whole request's duration, and the intent with every change.
/// </summary>
public sealed record CancelOrderResponse(string Result, string Cloid, string Status, string? VenueStatus, string Message, long DurationMs, OrderView Order);

/// <summary>Where the copier stands: the last target fill handled (venue time, tid, key) and when this process saw it there.</summary>
public sealed record CopyCursorView(long Time, DateTimeOffset TimeAt, string? Key, DateTimeOffset? At);

/// <summary>
/// GET /api/status → <c>copyTrading</c>, from this process's memory (<see cref="Copy.CopyTradingMonitor"/>): the settings
/// that shape copying, the cursor as this process last read or moved it (null before its first batch), counts since
/// start, skips by reason, and the last fill mirrored. <see cref="Exposure"/>: per coin with a MaxPosition cap, where the
/// position can go as the last batch that judged the cap left it (<see cref="ExposureAt"/>), empty before one.
/// </summary>
public sealed record CopyTradingView(
    bool Enabled, string? Target, decimal Ratio, decimal Slippage, string Mode, string? State, CopyCursorView? Cursor, long FillsSeen, long IntentsCreated,
    long AlreadyRecorded, IReadOnlyDictionary<string, long> Skipped, Copy.LastCopied? LastCopied, DateTimeOffset? LastBatchAt,
    IReadOnlyDictionary<string, CopyExposureView> Exposure, DateTimeOffset? ExposureAt)
{
    public static CopyTradingView From(Configuration.CopyTradingSettings settings, string executionMode, Copy.CopyTradingSnapshot s) => new(
        settings.Enabled, settings.EffectiveTarget, settings.Ratio, settings.Slippage, executionMode, s.State,
        s.Cursor is { } c ? new CopyCursorView(c.Time, DateTimeOffset.FromUnixTimeMilliseconds(c.Time), c.Key.Length == 0 ? null : c.Key, s.CursorAt) : null,
        s.FillsSeen, s.IntentsCreated, s.AlreadyRecorded, s.Skipped, s.LastCopied, s.LastBatchAt,
        s.Exposure.ToDictionary(e => e.Coin, e => new CopyExposureView(e.Venue, e.Range.Lowest, e.Range.Highest, e.OpenOrders), StringComparer.Ordinal), s.ExposureAt);
}

/// <summary>
/// One coin's MaxPosition judgement: the own venue position, and the lowest and highest position it can end at once the
/// <see cref="OpenOrders"/> mirrored orders not final yet (from any batch) fill or not.
/// </summary>
public sealed record CopyExposureView(decimal Venue, decimal Lowest, decimal Highest, int OpenOrders);
