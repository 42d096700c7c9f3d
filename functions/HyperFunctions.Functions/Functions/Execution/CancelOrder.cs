using HyperFunctions.Domain.Execution;
using HyperFunctions.Functions.Execution;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Functions.Http;
using HyperFunctions.Storage.Execution;

namespace HyperFunctions.Functions.Functions.Execution;

/// <summary>
/// POST /api/orders/{cloid}/cancel {reason} (admin) — cancels one order at the venue by its cloid and records CANCELED
/// with the operator and the reason (<see cref="SingleOrderCanceller"/>). 200 when the order is cancelled now or was
/// already; 400 naming the field for a malformed cloid or body; 404 for an unknown intent; 409 with a <c>code</c> when
/// there is nothing to cancel (final, never sent, being sent, filled at the venue, unknown to the venue); 502/503 when the
/// venue refused or could not be asked. Cancels are allowed in every safety mode and on a passive failover site.
/// </summary>
public sealed class CancelOrder : IHttpFunction
{
    private static readonly string[] Fields = ["reason"];

    public string Name => nameof(CancelOrder);

    public RouteHandlerBuilder Map(IEndpointRouteBuilder routes) =>
        routes.MapPost("/api/orders/{cloid}/cancel", async (string cloid, HttpRequest request, SingleOrderCanceller canceller, OrderStore store, IHostApplicationLifetime lifetime, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync(request, Fields);
            if (body is null) return ClientOrderId.IsValid(cloid) ? error! : Problems.Invalid("cloid", "Must be 0x followed by 32 hex characters.");
            if (!ClientOrderId.IsValid(cloid)) body.Error("cloid", "Must be 0x followed by 32 hex characters.");
            var reason = body.Text("reason", required: true);
            var actor = OperatorIdentity.Resolve(request, body);
            if (!body.IsValid) return Problems.Invalid(body.Errors);

            // Once sent, a cancel runs to its end and is recorded even if the caller hangs up.
            var normalized = ClientOrderId.Normalize(cloid);
            var result = await canceller.CancelAsync(normalized, actor, reason!, lifetime.ApplicationStopping);
            if (result.Succeeded && result.Record is { } record)
            {
                var view = OrderView.Of(record, await store.ReadChangesAsync(normalized, ct));
                return Results.Ok(new CancelOrderResponse(result.Code, normalized, record.Status.ToWire(), result.VenueStatus, result.Message,
                    (long)result.Duration.TotalMilliseconds, view));
            }
            return Problems.Create(result.HttpStatus, Title(result.Code), result.Message, new Dictionary<string, object?>
            {
                ["code"] = result.Code,
                ["cloid"] = normalized,
                ["orderStatus"] = result.Record?.Status.ToWire(),
                ["venueStatus"] = result.VenueStatus,
                ["durationMs"] = (long)result.Duration.TotalMilliseconds,
            });
        });

    private static string Title(string code) => code switch
    {
        OrderCancelCodes.NotFound => "No such order",
        OrderCancelCodes.AlreadyFilled => "Already filled",
        OrderCancelCodes.CancelRefused => "The venue refused the cancel",
        OrderCancelCodes.VenueUnavailable => "Venue unavailable",
        OrderCancelCodes.NotRecorded => "Not recorded",
        OrderCancelCodes.AdapterNotImplemented => "No execution adapter",
        _ => "Nothing to cancel",
    };
}
