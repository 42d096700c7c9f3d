using HyperFunctions.Configuration;
using HyperFunctions.Domain.Execution;
using HyperFunctions.Domain.Safety;
using HyperFunctions.Storage;
using HyperFunctions.Storage.Execution;

namespace HyperFunctions.Functions.Execution;

/// <summary>What one resolution pass did.</summary>
public sealed record ResolutionPass(int Open, int Resolved, int Requeued, int Waiting, int BudgetExceeded, int Failed)
{
    public override string ToString() =>
        $"open {Open}: resolved {Resolved}, queued again {Requeued}, waiting {Waiting}, budget exceeded {BudgetExceeded}, failed {Failed}";
}

/// <summary>
/// Finds out what became of intents whose send may have reached the venue without an answer: every UNKNOWN
/// intent, and every SENDING one older than Execution:Resolution:StaleSendingSeconds (its process may have died
/// mid-send). It reads the open index (<see cref="OrderStore.ListOpenAsync"/>), never every order, and asks the
/// adapter by cloid (orderStatus). The venue's answer becomes the result. When the venue does not know the cloid
/// Execution:Resolution:NotFoundGraceSeconds after the last change, the intent is queued again (staying UNKNOWN,
/// so the executor asks the venue once more right before it judges and sends it anew). Each look-up counts against
/// the retry budget; an exhausted budget leaves the intent UNKNOWN with the budget marked exceeded, raises
/// EXECUTION_RETRY_BUDGET_EXCEEDED and alerts. A RECEIVED intent unchanged for Execution:Resolution:StaleReceivedSeconds
/// has lost its queue message (every delivery died, so it went to order-intents-poison, or the enqueue after the
/// record failed): it was never sent, so it is queued again without asking the venue.
/// </summary>
public sealed partial class UnknownOrderResolver(
    OrderStore store, ExecutionAdapterChoice choice, RetryBudgetGuard budget, StorageClients storage, LoadedConfiguration configuration,
    ExecutionMonitor monitor, TimeProvider time, ILogger<UnknownOrderResolver> logger)
{
    public const string Actor = "resolution";
    private readonly TimeSpan _staleSending = TimeSpan.FromSeconds(configuration.Settings.Execution.Resolution.StaleSendingSeconds);
    private readonly TimeSpan _staleReceived = TimeSpan.FromSeconds(configuration.Settings.Execution.Resolution.StaleReceivedSeconds);
    private readonly TimeSpan _grace = TimeSpan.FromSeconds(configuration.Settings.Execution.Resolution.NotFoundGraceSeconds);
    private readonly FailureEpisode _failures = new("Resolution look-ups", logger, time); // one story per outage, not one line per pass

    private enum Step
    {
        Resolved,
        Requeued,
        Waiting,
        BudgetExceeded,
    }

    public async Task<ResolutionPass> RunAsync(CancellationToken ct)
    {
        var open = await store.ListOpenAsync(ct);
        if (choice.Adapter is not { } adapter) return new ResolutionPass(open.Count, 0, 0, open.Count, 0, 0); // nothing to ask (the instance is HALTed for it)
        int resolved = 0, requeued = 0, waiting = 0, exceeded = 0, failed = 0;
        foreach (var o in open)
        {
            try
            {
                switch (await ResolveAsync(o, adapter, ct))
                {
                    case Step.Resolved: resolved++; break;
                    case Step.Requeued: requeued++; break;
                    case Step.BudgetExceeded: exceeded++; break;
                    default: waiting++; break;
                }
            }
            catch (OrderConflictException)
            {
                waiting++; // the executor changed it meanwhile; the next pass looks again
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                failed++; // the venue or storage did not answer: counted as an attempt, tried next pass
                _failures.Failed(ex);
            }
        }
        if (failed == 0) _failures.Succeeded();
        var pass = new ResolutionPass(open.Count, resolved, requeued, waiting, exceeded, failed);
        if (resolved + requeued + exceeded + failed > 0) LogPass(pass.ToString());
        return pass;
    }

    private async Task<Step> ResolveAsync(OpenOrder open, IExecutionAdapter adapter, CancellationToken ct)
    {
        var record = await store.GetAsync(open.Cloid, ct);
        if (record is null || record.Status.IsTerminal())
        {
            await store.DropStaleOpenAsync(open.Cloid, ct);
            return Step.Waiting;
        }
        var now = time.GetUtcNow();
        if (record.Status == OrderStatus.Received)
        {
            // Never sent (RECEIVED is before SENDING, and a rate-limited send goes back to it only when certainly not placed).
            if (now - record.UpdatedAt < _staleReceived) return Step.Waiting; // its message is queued or being executed
            await OrderIntentMessage.From(record.Intent).SendAsync(storage.Queues, ct);
            await TransitionAsync(record, OrderStatus.Received,
                $"{OrderStatus.Received.ToWire()} and unchanged for {(int)(now - record.UpdatedAt).TotalSeconds} s: its queue message was lost (e.g. to {OrderIntentMessage.QueueName}-poison); queued again.", null, ct);
            monitor.Resolved("REQUEUED");
            return Step.Requeued;
        }
        if (record.Attempts.BudgetExceeded) return Step.BudgetExceeded; // an operator decides (docs/execution.md)
        if (record.Status == OrderStatus.Sending && now - record.UpdatedAt < _staleSending) return Step.Waiting; // a send in progress

        // One look-up even when the budget is used up: an answer from the venue always beats raising the ledger.
        var exhausted = budget.Budget.IsExhausted(record.Attempts.Count, record.Attempts.FirstAt, now);
        record = await store.CountAttemptAsync(record, now, ct);
        PlacementOutcome? found;
        string? failure = null;
        try
        {
            found = await adapter.FindAsync(record.Intent.Cloid, ct);
        }
        catch (Exception ex) when (exhausted && !ct.IsCancellationRequested)
        {
            found = null;
            failure = $" (the last look-up failed: {ex.GetType().Name})";
        }
        if (found is not null)
        {
            await TransitionAsync(record, found.Status, found.Reason + " Resolved by the resolution timer.", found.Venue, ct);
            monitor.Recorded(record.Intent, found.Status, found.Reason, time.GetUtcNow());
            monitor.Resolved(found.Status.ToWire());
            return Step.Resolved;
        }
        if (exhausted)
        {
            var used = budget.Budget.Describe(record.Attempts.Count, record.Attempts.FirstAt, now) + (failure ?? "");
            await TransitionAsync(record, OrderStatus.Unknown,
                $"{ReasonCode.ExecutionRetryBudgetExceeded.ToWire()}: {used}; what the venue did with it is still unknown and nothing retries it automatically.",
                null, ct, record.Attempts with { BudgetExceeded = true });
            await budget.RaiseAsync(record.Intent, used + $"; the intent stays {OrderStatus.Unknown.ToWire()}", ct);
            return Step.BudgetExceeded;
        }
        if (now - record.UpdatedAt < _grace) return Step.Waiting;

        // Not at the venue well after the send: queue it again. It stays UNKNOWN, so the executor asks the venue
        // once more before judging it through the gate as new; the new change restarts the grace period.
        await OrderIntentMessage.From(record.Intent).SendAsync(storage.Queues, ct);
        await TransitionAsync(record, OrderStatus.Unknown,
            $"The venue does not know the cloid {(int)(now - record.UpdatedAt).TotalSeconds} s after the last change: queued again to be judged anew.", null, ct);
        monitor.Resolved("REQUEUED");
        return Step.Requeued;
    }

    private async Task TransitionAsync(OrderRecord record, OrderStatus status, string reason, VenueFacts? venue, CancellationToken ct, OrderAttempts? attempts = null)
    {
        await store.TransitionAsync(record, status, reason, venue, Actor, time.GetUtcNow(), ct, attempts);
        LogChanged(record.Intent.Cloid, record.Status.ToWire(), status.ToWire(), reason);
    }

    [LoggerMessage(EventId = 1040, Level = LogLevel.Information, Message = "Order {Cloid}: {From} -> {To} by the resolution timer. {Reason}")]
    private partial void LogChanged(string cloid, string from, string to, string reason);

    [LoggerMessage(EventId = 1042, Level = LogLevel.Information, Message = "Resolution pass: {Pass}")]
    private partial void LogPass(string pass);
}
