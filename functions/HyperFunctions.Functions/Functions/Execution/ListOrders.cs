using HyperFunctions.Configuration;
using HyperFunctions.Domain;
using HyperFunctions.Domain.Execution;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Functions.Http;
using HyperFunctions.Storage.Execution;

namespace HyperFunctions.Functions.Functions.Execution;

/// <summary>
/// GET /api/orders?status=&amp;limit= — intents, newest change first, each with its result and every state change;
/// and the last 10 process starts recorded in dry-run mode (<c>bootEvents</c>, newest first).
/// </summary>
public sealed class ListOrders : IHttpFunction
{
    private const int DefaultLimit = 50;
    private const int BootEventsShown = 10;

    public string Name => nameof(ListOrders);

    public RouteHandlerBuilder Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/orders", async (HttpRequest request, OrderStore store, LoadedConfiguration config, CancellationToken ct) =>
        {
            var query = new QueryReader(request.Query);
            var limit = query.Limit(DefaultLimit, config.Settings.Api.MaxHistoryPageSize);
            OrderStatus? status = null;
            var allowed = $"one of: {string.Join(", ", WireNames<OrderStatus>.All)}";
            if (query.Text("status", allowed) is { } statusText)
            {
                if (WireNames<OrderStatus>.TryParse(statusText, out var parsed)) status = parsed;
                else query.Error("status", $"'{SafeText.Display(statusText, 40)}' is not {allowed}.");
            }
            if (!query.IsValid) return query.Problem();
            var records = await store.ListAsync(status, limit, ct);
            var items = new List<OrderView>(records.Count);
            foreach (var r in records) items.Add(OrderView.Of(r, await store.ReadChangesAsync(r.Intent.Cloid, ct)));
            var boots = await store.ListBootEventsAsync(BootEventsShown, ct);
            return Results.Ok(new OrderListResponse([.. items], boots.Select(b => new BootEventView(b.At, b.Process, b.Mode, b.Message)).ToArray()));
        });
}
