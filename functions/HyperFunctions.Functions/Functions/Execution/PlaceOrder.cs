using System.Text.RegularExpressions;
using HyperFunctions.Domain.Execution;
using HyperFunctions.Functions.Execution;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Functions.Http;
using HyperFunctions.Storage;
using HyperFunctions.Storage.Execution;

namespace HyperFunctions.Functions.Functions.Execution;

/// <summary>
/// POST /api/orders (admin) — validates an order intent, records it (RECEIVED) and puts ONE message on the
/// order-intents queue; 202 {intentId, cloid}. The optional Idempotency-Key header is the intent's source
/// key (its cloid derives from it), so a retried POST maps to the same intent; without it a new id is used.
/// A bad body is a 400 naming each field, and nothing is recorded or queued.
/// </summary>
public sealed partial class PlaceOrder : IHttpFunction
{
    public const string IdempotencyHeader = "Idempotency-Key";
    private static readonly string[] Fields = ["coin", "side", "size", "type", "limitPrice", "slippage", "tif", "reduceOnly", "cloid"];

    public string Name => nameof(PlaceOrder);

    public RouteHandlerBuilder Map(IEndpointRouteBuilder routes) =>
        routes.MapPost("/api/orders", async (HttpRequest request, OrderStore store, StorageClients storage, QueueNudge nudge, TimeProvider time, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync(request, Fields);
            if (body is null) return error!;
            var draft = new OrderIntentDraft(
                body.Text("coin", required: false), body.Text("side", required: false), body.Decimal("size"), body.Text("type", required: false),
                body.Decimal("limitPrice"), body.Decimal("slippage"), body.Text("tif", required: false), body.Flag("reduceOnly"), body.Text("cloid", required: false));
            var actor = OperatorIdentity.Resolve(request, body);
            var key = request.Headers[IdempotencyHeader].FirstOrDefault();
            if (key is not null && !KeyPattern().IsMatch(key)) body.Error(IdempotencyHeader, "Must be 1-200 characters of letters, digits and - _ . : @ /.");
            var sourceKey = "api:" + (key ?? Guid.NewGuid().ToString("N"));
            var (intent, errors) = OrderIntentRules.Validate(draft, sourceKey);
            var all = body.Errors.Concat(errors.Where(e => !body.Errors.ContainsKey(e.Key))).ToDictionary(kv => kv.Key, kv => kv.Value);
            if (all.Count > 0 || intent is null) return Problems.Invalid(all);

            var (record, created) = await store.RecordAsync(intent, actor, time.GetUtcNow(), ct);
            if (!created && record.Intent != intent)
                return Problems.Create(StatusCodes.Status409Conflict, "Intent exists", $"Intent {record.Intent.Cloid} already exists with other fields (same {IdempotencyHeader} or cloid, different order).");
            // Queued again for an existing intent too: the POST may be a retry after the first one failed to
            // enqueue, and the executor does nothing for an intent that already has its result.
            if (created || !record.Status.IsTerminal())
            {
                await OrderIntentMessage.From(intent).SendAsync(storage.Queues, ct);
                nudge.Nudge(OrderIntentMessage.QueueName); // a self-host listener in this process polls now, not after its back-off
            }
            return Results.Accepted($"/api/orders/{intent.Cloid}", new OrderAcceptedResponse(intent.SourceKey, intent.Cloid));
        });

    [GeneratedRegex("^[A-Za-z0-9._:@/-]{1,200}$")]
    private static partial Regex KeyPattern();
}
