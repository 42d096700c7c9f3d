using HyperFunctions.Configuration;
using HyperFunctions.Domain.Execution;
using HyperFunctions.Domain.Safety;
using HyperFunctions.Functions.Checks;
using HyperFunctions.Hyperliquid.Rest;
using HyperFunctions.Storage;
using HyperFunctions.Storage.Execution;
using HyperFunctions.Storage.Ledger;

namespace HyperFunctions.Functions.Execution;

/// <summary>The configured adapter, or none when Execution:Adapter names one that does not exist.</summary>
public sealed record ExecutionAdapterChoice(string Configured, IExecutionAdapter? Adapter);

/// <summary>
/// Executes one order intent, at most once at the venue however often it is delivered:
/// record → (if a previous attempt may have sent it: ask the venue by cloid) → gate on the ledger with the
/// current venue position → pre-trade limits → dry-run or send → record the result. Every state change is
/// appended to the order's history. A refused intent is recorded as BLOCKED and not retried. Each send counts
/// against the intent's retry budget; a rate-limited (429) attempt was certainly not placed and comes back as a
/// visibility-delayed copy of the message, with exponential backoff and jitter. An intent older than
/// Execution:MaxIntentAgeSeconds is never sent (INTENT_EXPIRED). A process of the passive failover site
/// hands the intent back to the queue for the active site's processes, for a while, before it blocks it (SITE_PASSIVE).
/// </summary>
public sealed partial class OrderExecutor(
    OrderStore store, SafetyLedger ledger, VenuePositions positions, ExecutionAdapterChoice choice, LoadedConfiguration configuration,
    ExecutionMonitor monitor, RetryBudgetGuard budget, StorageClients storage, CheckBoard checks, TimeProvider time, ILogger<OrderExecutor> logger,
    IExecutionCrashPoints crashPoints, Failover.ActiveSiteGate? site = null)
{
    public const string Actor = "execution";

    private readonly ExecutionLimits _limits = new(configuration.Settings.Execution.MaxNotional, configuration.Settings.Execution.MaxPositionPerCoin);
    private readonly bool _dryRun = configuration.Settings.Execution.Mode == ExecutionModes.DryRun;
    private readonly bool _backfillOnly = configuration.Settings.Execution.Mode == ExecutionModes.BackfillOnly;
    private readonly TimeSpan _backoffBase = TimeSpan.FromSeconds(configuration.Settings.Execution.RateLimitBackoff.BaseSeconds);
    private readonly TimeSpan _backoffMax = TimeSpan.FromSeconds(configuration.Settings.Execution.RateLimitBackoff.MaxSeconds);
    private readonly TimeSpan _maxIntentAge = TimeSpan.FromSeconds(configuration.Settings.Execution.MaxIntentAgeSeconds);

    /// <summary>Runs the intent; returns a one-line summary. Throws (so the message is retried) only when nothing final could be recorded.</summary>
    public async Task<string> ExecuteAsync(OrderIntent intent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(intent);
        using var _ = monitor.Begin();
        var (record, _) = await store.RecordAsync(intent, Actor, time.GetUtcNow(), ct);
        if (record.Status.IsTerminal()) return $"{intent.Cloid}: already {record.Status.ToWire()}; nothing done";
        if (record.Intent != intent) LogDiffers(intent.Cloid);
        intent = record.Intent; // the recorded intent is the one executed, whatever a message with its cloid says
        if (choice.Adapter is not { } adapter)
            return await FinishAsync(record, new PlacementOutcome(OrderStatus.Blocked, $"Execution adapter '{choice.Configured}' is not implemented (EXECUTION_ADAPTER_NOT_IMPLEMENTED)."), ct);

        if (record.Attempts.BudgetExceeded) return $"{intent.Cloid}: retry budget exceeded earlier; nothing done until an operator re-submits it";
        var attempt = new Attempt();
        try
        {
            return await JudgeAndSendAsync(record, adapter, attempt, ct);
        }
        catch (HyperliquidRateLimitedException ex)
        {
            // Refused for rate limits (the venue's 429 after the client's own retries, or the local weight budget):
            // this attempt placed nothing. Count it, record why, and let the queue bring the intent back later.
            return await BackOffAsync(intent.Cloid, ex, attempt.SendPending, ct);
        }
    }

    /// <summary>
    /// What one invocation did so far: whether the row is at SENDING by its own write and its send has not been
    /// answered yet. Only then does a rate limit prove that nothing of this intent is at the venue.
    /// </summary>
    private sealed class Attempt
    {
        public bool SendPending { get; set; }
    }

    private async Task<string> JudgeAndSendAsync(OrderRecord record, IExecutionAdapter adapter, Attempt attempt, CancellationToken ct)
    {
        var intent = record.Intent;
        if (record.Status.MayHaveBeenSent() && !_dryRun)
        {
            // A previous attempt may have reached the venue: the venue's word decides, never a second send.
            if (await adapter.FindAsync(intent.Cloid, ct) is { } found) return await FinishAsync(record, found, ct);
            LogNotAtVenue(intent.Cloid, record.Status.ToWire());
        }

        var now = time.GetUtcNow();
        if (!_dryRun && !_backfillOnly && budget.Budget.IsExhausted(record.Attempts.Count, record.Attempts.FirstAt, now))
        {
            // Certainly not at the venue (never sent, or the venue just said it does not know the cloid): final.
            var used = budget.Budget.Describe(record.Attempts.Count, record.Attempts.FirstAt, now);
            var done = await TransitionAsync(record, OrderStatus.Blocked, $"{ReasonCode.ExecutionRetryBudgetExceeded.ToWire()}: {used}; not sent.", null, ct,
                record.Attempts with { BudgetExceeded = true });
            await budget.RaiseAsync(intent, used + "; the intent was not sent and is BLOCKED", ct);
            return $"{done.Intent.Cloid}: {done.Status.ToWire()} {done.Reason}";
        }

        // Certainly not at the venue here (never sent, or the venue just said it does not know the cloid): a late order is worse than none.
        if (ExecutionRules.WhyExpired(record.CreatedAt, now, _maxIntentAge) is { } expired)
        {
            monitor.Expired();
            return await FinishAsync(record, new PlacementOutcome(OrderStatus.Blocked, expired), ct);
        }

        if (_backfillOnly)
            return await FinishAsync(record, new PlacementOutcome(OrderStatus.Blocked, "Execution:Mode is backfill-only: nothing is placed."), ct);

        // SITE_PASSIVE: only the active failover site places orders (cancels never pass through here).
        if (site is not null && await site.CheckAsync(ct) is { Active: false } passive)
            return await HandBackOrBlockAsync(record, passive.Reason, site.HandBackFor, ct);

        var effective = await ledger.GetEffectiveAsync(ct);
        var position = 0m;
        decimal? reference = intent.LimitPrice;
        if (effective.Mode != SafetyMode.Halt && effective.Hold is null)
        {
            position = await positions.PositionAsync(intent.Coin, ct);
            if (reference is null && _limits.MaxNotional is not null) reference = await positions.ReferencePriceAsync(intent, ct);
        }
        var reduces = ExecutionRules.Reduces(position, intent.Side, intent.Size);
        var gate = await ledger.EvaluateGateAsync(new GateRequest(OrderAction.Place, reduces), ct);
        var verdict = ExecutionRules.Decide(intent, effective.Mode, _ => gate, position, reference, _limits, FundingFactor(effective.Ledger));
        if (!verdict.Send) return await FinishAsync(record, new PlacementOutcome(OrderStatus.Blocked, verdict.Reason), ct);
        if (_dryRun)
            return await FinishAsync(record, new PlacementOutcome(OrderStatus.DryRun, $"Dry run: admitted ({verdict.Reason}) and not sent{(verdict.ForceReduceOnly ? " (would go reduce-only)" : "")}."), ct);

        record = await TransitionAsync(record, OrderStatus.Sending, $"Sending through the {adapter.Name} adapter{(verdict.ForceReduceOnly ? " as reduce-only" : "")}.", null, ct,
            record.Attempts.Next(time.GetUtcNow()));
        attempt.SendPending = true;
        await crashPoints.ReachedAsync(ExecutionCrashPoint.BeforeSend, intent.Cloid, ct);
        var outcome = await adapter.PlaceAsync(intent, verdict.ForceReduceOnly || intent.ReduceOnly, ct);
        attempt.SendPending = false; // answered: a rate limit from here on (the duplicate's look-up) says nothing about the order
        if (outcome.Status == OrderStatus.Rejected && ExecutionRules.IsDuplicateCloid(outcome.Reason))
        {
            // Another delivery of this intent, running at the same time, sent the cloid first: the order exists, and
            // the venue's word about it is the result, never this refusal of the second send.
            LogDuplicateCloid(intent.Cloid);
            if (await adapter.FindAsync(intent.Cloid, ct) is { } existing) outcome = existing;
        }
        await crashPoints.ReachedAsync(ExecutionCrashPoint.AfterSendBeforeRecord, intent.Cloid, ct);
        return await FinishAsync(record, outcome, ct);
    }

    private async Task<string> BackOffAsync(string cloid, HyperliquidRateLimitedException ex, bool sendPending, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var current = await store.GetAsync(cloid, ct) ?? throw new InvalidOperationException($"Order {cloid} vanished.");
        OrderRecord after;
        int attempt;
        if (current.Status == OrderStatus.Sending && sendPending)
        {
            // This invocation wrote SENDING and its send was refused: nothing is at the venue from it, and the venue
            // did not know the cloid before (step 3), so the row goes back to RECEIVED. The transition counted the attempt.
            attempt = current.Attempts.Count;
            var delayText = Delay(attempt, ex);
            after = await TransitionAsync(current, OrderStatus.Received, $"Rate limited ({Source(ex)}): not placed; queued again, visible in {delayText.TotalSeconds:0.#} s.", null, ct);
            await Requeue(after, delayText, ct);
            monitor.RateLimited(cloid, attempt);
            return $"{cloid}: rate limited; queued again in {delayText.TotalSeconds:0.#} s (attempt {attempt})";
        }
        // Refused before this invocation sent (looking the cloid up, reading the position): counted without a state
        // change. A SENDING or UNKNOWN row left by an earlier attempt stays so: that attempt may have reached the venue,
        // so the next delivery must look the cloid up again before any send (never back to RECEIVED here).
        after = await store.CountAttemptAsync(current, now, ct);
        attempt = after.Attempts.Count;
        var delay = Delay(attempt, ex);
        LogBackoff(cloid, attempt, delay.TotalSeconds, Source(ex));
        await Requeue(after, delay, ct);
        monitor.RateLimited(cloid, attempt);
        return $"{cloid}: rate limited before sending; queued again in {delay.TotalSeconds:0.#} s (attempt {attempt})";
    }

    /// <summary>
    /// While FUNDING_STALE holds in the ledger: the FundingDelayCheck's published sizeReductionFactor (its last
    /// result in memory), else Checks:Funding:ReductionFactor, which is what the check publishes; otherwise 1.
    /// </summary>
    private decimal FundingFactor(SafetyState? ledgerState)
    {
        if (ledgerState?.FindCondition(ReasonCode.FundingStale) is null) return 1m;
        var published = checks.Get("FundingDelayCheck")?.Data.GetValueOrDefault(CheckData.SizeReductionFactor);
        var factor = decimal.TryParse(published, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var f) && f is > 0 and <= 1
            ? f
            : (decimal)configuration.Settings.Checks.Funding.ReductionFactor;
        return factor is > 0 and <= 1 ? factor : 1m;
    }

    private TimeSpan Delay(int attempt, HyperliquidRateLimitedException ex) =>
        RetryBackoff.Delay(Math.Max(1, attempt), _backoffBase, _backoffMax, Random.Shared.NextDouble(), ex.RetryAfter);

    private static string Source(HyperliquidRateLimitedException ex) => ex.Local ? "the client's weight budget" : "the venue answered 429";

    /// <summary>
    /// A process of the passive site dequeued the intent. When the sites share one queue it belongs to the active site's
    /// processes, so within Failover:PassiveHandBackSeconds of its arrival the message goes back to the queue (visible again
    /// after <see cref="HandBackDelay"/>, never a tight loop) with the row left RECEIVED; after that no active process took
    /// it, and it is BLOCKED with SITE_PASSIVE so that a stale intent is never placed late.
    /// </summary>
    private async Task<string> HandBackOrBlockAsync(OrderRecord record, string reason, TimeSpan handBackFor, CancellationToken ct)
    {
        var waited = time.GetUtcNow() - record.CreatedAt;
        if (waited >= handBackFor)
        {
            var why = handBackFor > TimeSpan.Zero
                ? $"{reason} No process of the active site took the intent within {handBackFor.TotalSeconds:0} s (Failover:PassiveHandBackSeconds)."
                : reason;
            return await FinishAsync(record, new PlacementOutcome(OrderStatus.Blocked, why), ct);
        }
        await Requeue(record, HandBackDelay, ct);
        monitor.HandedBack();
        LogHandedBack(record.Intent.Cloid, waited.TotalSeconds, reason);
        return $"{record.Intent.Cloid}: handed back to the queue for the active site ({reason}); visible again in {HandBackDelay.TotalSeconds:0} s";
    }

    /// <summary>How long a handed-back intent stays invisible, so a passive process does not take it again at once.</summary>
    public static readonly TimeSpan HandBackDelay = TimeSpan.FromSeconds(1);

    private Task Requeue(OrderRecord record, TimeSpan delay, CancellationToken ct) =>
        OrderIntentMessage.From(record.Intent).SendAsync(storage.Queues, delay, ct);

    private async Task<string> FinishAsync(OrderRecord record, PlacementOutcome outcome, CancellationToken ct)
    {
        var done = await TransitionAsync(record, outcome.Status, outcome.Reason, outcome.Venue, ct);
        return $"{done.Intent.Cloid}: {done.Status.ToWire()} {outcome.Reason}";
    }

    private async Task<OrderRecord> TransitionAsync(OrderRecord record, OrderStatus status, string reason, VenueFacts? venue, CancellationToken ct, OrderAttempts? attempts = null)
    {
        var now = time.GetUtcNow();
        var next = await store.TransitionAsync(record, status, reason, venue, Actor, now, ct, attempts);
        if (status is not (OrderStatus.Sending or OrderStatus.Received)) monitor.Recorded(record.Intent, status, reason, now);
        LogChanged(record.Intent.Cloid, record.Intent.Coin, status.ToWire(), reason);
        return next;
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Order {Cloid} ({Coin}): {Status}. {Reason}")]
    private partial void LogChanged(string cloid, string coin, string status, string reason);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "A message for order {Cloid} differs from the recorded intent: the recorded one is executed")]
    private partial void LogDiffers(string cloid);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Order {Cloid}: rate limited before sending ({Source}); attempt {Attempt}, queued again in {DelaySeconds} s")]
    private partial void LogBackoff(string cloid, int attempt, double delaySeconds, string source);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Order {Cloid}: the venue refused the send as a duplicate cloid (another delivery sent it at the same time); recording what the venue knows of it")]
    private partial void LogDuplicateCloid(string cloid);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Order {Cloid}: handed back to the queue for the active site ({WaitedSeconds:0.#} s since it arrived). {Reason}")]
    private partial void LogHandedBack(string cloid, double waitedSeconds, string reason);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Order {Cloid} was {Status} but the venue does not know its cloid: judging it again")]
    private partial void LogNotAtVenue(string cloid, string status);
}

/// <summary>Execution:Mode values.</summary>
public static class ExecutionModes
{
    public const string Live = "live";
    public const string DryRun = "dry-run";

    /// <summary>The keeper's cursors advance; no intent is created from fills and nothing is placed.</summary>
    public const string BackfillOnly = "backfill-only";
}
