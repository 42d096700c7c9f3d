using HyperFunctions.Domain.Execution;
using HyperFunctions.Storage.Execution;

namespace HyperFunctions.Functions.Execution;

/// <summary>
/// Cancel-all for the own account (the kill switch and failover's pre-hooks): the configured adapter reads the open
/// orders and cancels them in ONE batched action; then every intent in the order table whose cloid the venue
/// cancelled moves to CANCELED. Never throws for a venue or storage failure: the report says what happened.
/// Cancels are allowed in every safety mode, so the ledger is not asked.
/// </summary>
public sealed partial class OrderCanceller(
    ExecutionAdapterChoice choice, OrderStore store, ExecutionMonitor execution, KillSwitchMonitor monitor, TimeProvider time, ILogger<OrderCanceller> logger)
    : IOpenOrderCanceller
{
    public const string Actor = "cancel-all";

    public async Task<CancelAllReport> CancelAllAsync(string reason, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var started = time.GetTimestamp();
        CancelAllReport report;
        if (choice.Adapter is not { } adapter)
        {
            report = new CancelAllReport([], TimeSpan.Zero, $"Execution adapter '{choice.Configured}' is not implemented: nothing can be cancelled.");
        }
        else
        {
            try
            {
                report = await adapter.CancelAllAsync(ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                report = new CancelAllReport([], TimeSpan.Zero, $"Cancel-all failed: {ex.Message}");
            }
        }

        // The duration is the venue's part (read open orders, one cancel action): what "within a second" is about.
        report = report with { Duration = time.GetElapsedTime(started) };
        var cancelled = report.Orders.Count(o => o.Cancelled);
        monitor.OrdersCancelled(cancelled);
        var recorded = await RecordAsync(report, reason, ct);
        LogCancelAll(reason, cancelled, report.Orders.Count, (long)report.Duration.TotalMilliseconds, recorded, report.Failure ?? FirstError(report) ?? "none");
        return report;
    }

    private static string? FirstError(CancelAllReport report) => report.Orders.FirstOrDefault(o => !o.Cancelled)?.Error;

    /// <summary>
    /// CANCELED for each recorded intent whose cloid was cancelled, all at once (each intent is its own row and
    /// ETag); returns how many. A storage failure is logged, not thrown: the venue part is done.
    /// </summary>
    private async Task<int> RecordAsync(CancelAllReport report, string reason, CancellationToken ct)
    {
        var done = await Task.WhenAll(report.Orders.Where(o => o.Cancelled && o.Cloid is not null).Select(async order =>
        {
            try
            {
                return await RecordOneAsync(order, reason, ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                LogNotRecorded(ex, order.Cloid!);
                return false;
            }
        }));
        return done.Count(recorded => recorded);
    }

    private async Task<bool> RecordOneAsync(CancelledOrder order, string reason, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (await store.GetAsync(order.Cloid!, ct) is not { } record) return false; // not placed through this system
            if (record.Status is OrderStatus.Canceled or OrderStatus.Filled) return false;
            var why = $"Cancelled at the venue ({reason}), oid {order.Oid}.";
            try
            {
                var now = time.GetUtcNow();
                await store.TransitionAsync(record, OrderStatus.Canceled, why, record.Venue with { Oid = record.Venue.Oid ?? order.Oid }, Actor, now, ct);
                execution.Recorded(record.Intent, OrderStatus.Canceled, why, now);
                return true;
            }
            catch (OrderConflictException)
            {
                // The executor recorded its result meanwhile; read again and record the cancel after it.
            }
        }
        return false;
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Cancel-all ({Reason}): {Cancelled} of {Found} open orders cancelled in {DurationMs} ms, {Recorded} intents marked CANCELED; failure: {Failure}")]
    private partial void LogCancelAll(string reason, int cancelled, int found, long durationMs, int recorded, string failure);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Error, Message = "Order {Cloid} was cancelled at the venue but CANCELED could not be recorded")]
    private partial void LogNotRecorded(Exception exception, string cloid);
}
