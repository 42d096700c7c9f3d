using HyperFunctions.Domain.Execution;
using HyperFunctions.Storage.Execution;

namespace HyperFunctions.Functions.Execution;

/// <summary>Codes of a single-order cancel that did not cancel (the <c>code</c> of the problem answer and the <c>result</c> tag of its metric).</summary>
public static class OrderCancelCodes
{
    public const string Cancelled = "cancelled";
    public const string AlreadyCancelled = "already_cancelled";
    public const string Withdrawn = "withdrawn";
    public const string NotFound = "NOT_FOUND";
    public const string OrderFinal = "ORDER_FINAL";
    public const string SendInProgress = "SEND_IN_PROGRESS";
    public const string AlreadyFilled = "ALREADY_FILLED";
    public const string AlreadyRejected = "ALREADY_REJECTED";
    public const string NotAtVenue = "NOT_AT_VENUE";
    public const string CancelRefused = "CANCEL_REFUSED";
    public const string VenueUnavailable = "VENUE_UNAVAILABLE";
    public const string NotRecorded = "NOT_RECORDED";
    public const string AdapterNotImplemented = "ADAPTER_NOT_IMPLEMENTED";
}

/// <summary>
/// What a single-order cancel did: the HTTP status it answers with, its result or code, a sentence, the intent as it is
/// now (null when unknown), the venue's status text when the venue was asked, and how long it took.
/// </summary>
public sealed record OrderCancelResult(int HttpStatus, string Code, string Message, OrderRecord? Record, string? VenueStatus, TimeSpan Duration)
{
    public bool Succeeded => HttpStatus == StatusCodes.Status200OK;
}

/// <summary>
/// Cancels one order intent by its cloid (POST /api/orders/{cloid}/cancel). An intent never sent (RECEIVED) is withdrawn:
/// CANCELED here, so its queued message places nothing. Only an intent the venue may have on its book is sent a cancel:
/// RESTING, ACCEPTED, or UNKNOWN (its send may have reached the venue). A final intent and one being sent right now
/// (SENDING) are refused with a code. When the venue
/// does not confirm the cancel it is asked by cloid (orderStatus) and what it says is recorded: already cancelled
/// (CANCELED, answered as success), filled (FILLED, a conflict), rejected, still open (the cancel was refused), or not
/// known at all. Cancels only reduce risk, so neither the safety ledger nor the failover site is asked (as for the
/// kill switch). The CANCELED change names the operator and the reason; one log line per request.
/// </summary>
public sealed partial class SingleOrderCanceller(
    ExecutionAdapterChoice choice, OrderStore store, ExecutionMonitor execution, TimeProvider time, ILogger<SingleOrderCanceller> logger)
{
    public async Task<OrderCancelResult> CancelAsync(string cloid, string actor, string reason, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(cloid);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var started = time.GetTimestamp();
        var record = await store.GetAsync(cloid, ct);
        var from = record?.Status.ToWire() ?? "none";
        var result = record is null
            ? Answer(StatusCodes.Status404NotFound, OrderCancelCodes.NotFound, $"No order intent with cloid {cloid}.", null)
            : await CancelKnownAsync(record, actor, reason, ct);
        result = result with { Duration = time.GetElapsedTime(started) };
        execution.CancelRequested(result.Code);
        LogCancel(cloid, actor, result.Code, result.HttpStatus, from, result.Record?.Status.ToWire() ?? "none", result.VenueStatus ?? "not asked",
            (long)result.Duration.TotalMilliseconds, reason, result.Message);
        return result;
    }

    private async Task<OrderCancelResult> CancelKnownAsync(OrderRecord record, string actor, string reason, CancellationToken ct)
    {
        switch (record.Status)
        {
            case OrderStatus.Received:
                return await WithdrawAsync(record, actor, reason, ct);
            case OrderStatus.Sending:
                return Answer(StatusCodes.Status409Conflict, OrderCancelCodes.SendInProgress,
                    "The intent is being sent right now (SENDING): try again once it has a result (RESTING or UNKNOWN).", record);
            case OrderStatus.Resting or OrderStatus.Accepted or OrderStatus.Unknown:
                break;
            default:
                return Answer(StatusCodes.Status409Conflict, OrderCancelCodes.OrderFinal, $"The intent is final ({record.Status.ToWire()}): nothing to cancel.", record);
        }
        if (choice.Adapter is not { } adapter)
            return Answer(StatusCodes.Status503ServiceUnavailable, OrderCancelCodes.AdapterNotImplemented,
                $"Execution adapter '{choice.Configured}' is not implemented: nothing can be cancelled.", record);

        var cancel = await adapter.CancelAsync(record.Intent.Coin, record.Intent.Cloid, ct);
        if (cancel.Cancelled)
        {
            return await RecordAsync(record, OrderStatus.Canceled, $"Cancelled at the venue by cloid at the request of {actor}: {reason}", null, actor,
                StatusCodes.Status200OK, OrderCancelCodes.Cancelled, "Cancelled at the venue; CANCELED recorded.", "canceled", ct);
        }

        // Not confirmed: ask the venue what it has, and record that.
        PlacementOutcome? found;
        try
        {
            found = await adapter.FindAsync(record.Intent.Cloid, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            return Answer(StatusCodes.Status503ServiceUnavailable, OrderCancelCodes.VenueUnavailable,
                $"The venue did not confirm the cancel ({cancel.Error}) and could not be asked about the order ({ex.Message}). Nothing recorded; try again.", record);
        }
        if (found is null)
        {
            return Answer(StatusCodes.Status409Conflict, OrderCancelCodes.NotAtVenue,
                $"The venue does not know the cloid (cancel answer: {cancel.Error}): there is nothing to cancel there. The intent stays {record.Status.ToWire()}.", record);
        }
        var why = $"{found.Reason} Found when {actor} asked to cancel it: {reason}";
        return found.Status switch
        {
            OrderStatus.Canceled => await RecordAsync(record, OrderStatus.Canceled, why, found.Venue, actor, StatusCodes.Status200OK, OrderCancelCodes.AlreadyCancelled,
                $"The venue had already cancelled the order (status {found.VenueStatus}); CANCELED recorded.", found.VenueStatus, ct),
            OrderStatus.Filled => await RecordAsync(record, OrderStatus.Filled, why, found.Venue, actor, StatusCodes.Status409Conflict, OrderCancelCodes.AlreadyFilled,
                "The venue had already filled the order: it cannot be cancelled; FILLED recorded.", found.VenueStatus, ct),
            OrderStatus.Rejected => await RecordAsync(record, OrderStatus.Rejected, why, found.Venue, actor, StatusCodes.Status409Conflict, OrderCancelCodes.AlreadyRejected,
                $"The venue had rejected the order (status {found.VenueStatus}): nothing to cancel; REJECTED recorded.", found.VenueStatus, ct),
            _ => Answer(StatusCodes.Status502BadGateway, OrderCancelCodes.CancelRefused,
                $"The venue did not cancel the order and still has it (status {found.VenueStatus}): {cancel.Error}", record, found.VenueStatus),
        };
    }

    /// <summary>
    /// Withdraws an intent never sent: CANCELED with an ETag guard, so its queued message places nothing (the executor skips
    /// a final intent) and the venue is not asked. When the executor wrote SENDING first the write conflicts, and the intent
    /// is judged again as it now is (SENDING: 409; RESTING by then: cancelled at the venue).
    /// </summary>
    private async Task<OrderCancelResult> WithdrawAsync(OrderRecord record, string actor, string reason, CancellationToken ct)
    {
        var why = $"Withdrawn before it was sent, at the request of {actor}: {reason}";
        try
        {
            var now = time.GetUtcNow();
            var changed = await store.TransitionAsync(record, OrderStatus.Canceled, why, null, actor, now, ct);
            execution.Recorded(record.Intent, OrderStatus.Canceled, why, now);
            return Answer(StatusCodes.Status200OK, OrderCancelCodes.Withdrawn,
                "The intent was never sent: it is CANCELED and its queued message will place nothing. The venue was not asked.", changed);
        }
        catch (OrderConflictException)
        {
            var current = await store.GetAsync(record.Intent.Cloid, ct);
            if (current is null || current.Status == OrderStatus.Received)
                return Answer(StatusCodes.Status503ServiceUnavailable, OrderCancelCodes.NotRecorded, "The intent changed while it was being withdrawn; nothing recorded, try again.", current ?? record);
            return await CancelKnownAsync(current, actor, reason, ct);
        }
    }

    /// <summary>Records the change (an ETag conflict is read again and retried; a writer that recorded the same status already wins).</summary>
    private async Task<OrderCancelResult> RecordAsync(
        OrderRecord record, OrderStatus status, string why, VenueFacts? venue, string actor, int httpStatus, string code, string message, string? venueStatus, CancellationToken ct)
    {
        try
        {
            for (var attempt = 0; attempt < 3; attempt++)
            {
                if (record.Status == status) return Answer(httpStatus, code, message, record, venueStatus); // recorded meanwhile (e.g. by the refresh)
                if (record.Status is not (OrderStatus.Resting or OrderStatus.Accepted or OrderStatus.Unknown))
                    return Answer(StatusCodes.Status409Conflict, OrderCancelCodes.OrderFinal,
                        $"Another writer recorded {record.Status.ToWire()} meanwhile; the venue's answer ({venueStatus ?? code}) was not recorded over it.", record, venueStatus);
                try
                {
                    var facts = venue is null ? record.Venue : new VenueFacts(venue.Oid ?? record.Venue.Oid, venue.FilledSize ?? record.Venue.FilledSize, venue.AveragePrice ?? record.Venue.AveragePrice);
                    var now = time.GetUtcNow();
                    var changed = await store.TransitionAsync(record, status, why, facts, actor, now, ct);
                    execution.Recorded(record.Intent, status, why, now);
                    return Answer(httpStatus, code, message, changed, venueStatus);
                }
                catch (OrderConflictException)
                {
                    record = await store.GetAsync(record.Intent.Cloid, ct) ?? record;
                }
            }
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            LogNotRecorded(ex, record.Intent.Cloid, status.ToWire());
        }
        return Answer(StatusCodes.Status503ServiceUnavailable, OrderCancelCodes.NotRecorded,
            $"The venue's answer was {code} (venue status {venueStatus ?? "none"}), but {status.ToWire()} could not be recorded: the RefreshRestingOrders / ResolveUnknownOrders timers write it back.", record, venueStatus);
    }

    private static OrderCancelResult Answer(int status, string code, string message, OrderRecord? record, string? venueStatus = null) =>
        new(status, code, message, record, venueStatus, TimeSpan.Zero);

    [LoggerMessage(EventId = 1120, Level = LogLevel.Warning, Message = "Cancel of order {Cloid} by {Actor}: {Code} ({HttpStatus}), {From} -> {To}, venue status {VenueStatus}, {DurationMs} ms; reason: {Reason}. {Detail}")]
    private partial void LogCancel(string cloid, string actor, string code, int httpStatus, string from, string to, string venueStatus, long durationMs, string reason, string detail);

    [LoggerMessage(EventId = 1121, Level = LogLevel.Error, Message = "Order {Cloid}: the venue's answer to a cancel ({Status}) could not be recorded")]
    private partial void LogNotRecorded(Exception exception, string cloid, string status);
}
