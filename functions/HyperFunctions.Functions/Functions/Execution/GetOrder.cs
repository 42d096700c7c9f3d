using HyperFunctions.Domain.Execution;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Functions.Http;
using HyperFunctions.Storage.Execution;

namespace HyperFunctions.Functions.Functions.Execution;

/// <summary>GET /api/orders/{cloid} — one intent with its result and every state change; 404 when unknown.</summary>
public sealed class GetOrder : IHttpFunction
{
    public string Name => nameof(GetOrder);

    public RouteHandlerBuilder Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/orders/{cloid}", async (string cloid, OrderStore store, CancellationToken ct) =>
        {
            if (!ClientOrderId.IsValid(cloid)) return Problems.Invalid("cloid", "Must be 0x followed by 32 hex characters.");
            var normalized = ClientOrderId.Normalize(cloid);
            var record = await store.GetAsync(normalized, ct);
            if (record is null) return Problems.Create(StatusCodes.Status404NotFound, "No such order", $"No order intent with cloid {normalized}.");
            return Results.Ok(OrderView.Of(record, await store.ReadChangesAsync(normalized, ct)));
        });
}
