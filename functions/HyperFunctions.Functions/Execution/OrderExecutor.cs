using HyperFunctions.Configuration;
using HyperFunctions.Domain.Execution;
using HyperFunctions.Domain.Safety;
using HyperFunctions.Storage.Execution;
using HyperFunctions.Storage.Ledger;

namespace HyperFunctions.Functions.Execution;

/// <summary>The configured adapter, or none when Execution:Adapter names one that does not exist.</summary>
public sealed record ExecutionAdapterChoice(string Configured, IExecutionAdapter? Adapter);

/// <summary>
/// Executes one order intent, at most once at the venue however often it is delivered:
/// record → (if a previous attempt may have sent it: ask the venue by cloid) → gate on the ledger with the
/// current venue position → pre-trade limits → dry-run or send → record the result. Every state change is
/// appended to the order's history. A refused intent is recorded as BLOCKED and not retried.
/// </summary>
public sealed partial class OrderExecutor(
    OrderStore store, SafetyLedger ledger, VenuePositions positions, ExecutionAdapterChoice choice, LoadedConfiguration configuration,
    ExecutionMonitor monitor, TimeProvider time, ILogger<OrderExecutor> logger, Failover.ActiveSiteGate? site = null)
{
    public const string Actor = "execution";

    private readonly ExecutionLimits _limits = new(configuration.Settings.Execution.MaxNotional, configuration.Settings.Execution.MaxPositionPerCoin);
    private readonly bool _dryRun = configuration.Settings.Execution.Mode == ExecutionModes.DryRun;
    private readonly bool _backfillOnly = configuration.Settings.Execution.Mode == ExecutionModes.BackfillOnly;

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

        if (record.Status.MayHaveBeenSent() && !_dryRun)
        {
            // A previous attempt may have reached the venue: the venue's word decides, never a second send.
            if (await adapter.FindAsync(intent.Cloid, ct) is { } found) return await FinishAsync(record, found, ct);
            LogNotAtVenue(intent.Cloid, record.Status.ToWire());
        }

        if (_backfillOnly)
            return await FinishAsync(record, new PlacementOutcome(OrderStatus.Blocked, "Execution:Mode is backfill-only: nothing is placed."), ct);

        // SITE_PASSIVE: only the active failover site places orders (cancels never pass through here).
        if (site is not null && await site.CheckAsync(ct) is { Active: false } passive)
            return await FinishAsync(record, new PlacementOutcome(OrderStatus.Blocked, passive.Reason), ct);

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
        var verdict = ExecutionRules.Decide(intent, effective.Mode, _ => gate, position, reference, _limits);
        if (!verdict.Send) return await FinishAsync(record, new PlacementOutcome(OrderStatus.Blocked, verdict.Reason), ct);
        if (_dryRun)
            return await FinishAsync(record, new PlacementOutcome(OrderStatus.DryRun, $"Dry run: admitted ({verdict.Reason}) and not sent{(verdict.ForceReduceOnly ? " (would go reduce-only)" : "")}."), ct);

        record = await TransitionAsync(record, OrderStatus.Sending, $"Sending through the {adapter.Name} adapter{(verdict.ForceReduceOnly ? " as reduce-only" : "")}.", null, ct);
        var outcome = await adapter.PlaceAsync(intent, verdict.ForceReduceOnly || intent.ReduceOnly, ct);
        return await FinishAsync(record, outcome, ct);
    }

    private async Task<string> FinishAsync(OrderRecord record, PlacementOutcome outcome, CancellationToken ct)
    {
        var done = await TransitionAsync(record, outcome.Status, outcome.Reason, outcome.Venue, ct);
        return $"{done.Intent.Cloid}: {done.Status.ToWire()} {outcome.Reason}";
    }

    private async Task<OrderRecord> TransitionAsync(OrderRecord record, OrderStatus status, string reason, VenueFacts? venue, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var next = await store.TransitionAsync(record, status, reason, venue, Actor, now, ct);
        if (status != OrderStatus.Sending) monitor.Recorded(record.Intent, status, reason, now);
        LogChanged(record.Intent.Cloid, record.Intent.Coin, status.ToWire(), reason);
        return next;
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Order {Cloid} ({Coin}): {Status}. {Reason}")]
    private partial void LogChanged(string cloid, string coin, string status, string reason);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "A message for order {Cloid} differs from the recorded intent: the recorded one is executed")]
    private partial void LogDiffers(string cloid);

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
