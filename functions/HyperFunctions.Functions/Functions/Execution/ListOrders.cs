using System.Globalization;
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
            var errors = new Dictionary<string, string[]>();
            var max = config.Settings.Api.MaxHistoryPageSize;
            var limit = DefaultLimit;
            var limitText = request.Query["limit"];
            if (limitText.Count > 1) errors["limit"] = ["Give it at most once."];
            else if (limitText.Count == 1 && !string.IsNullOrEmpty(limitText[0]))
            {
                if (!int.TryParse(limitText[0], NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > max)
                    errors["limit"] = [$"Must be a whole number from 1 to {max}."];
            }
            OrderStatus? status = null;
            var statusText = request.Query["status"];
            if (statusText.Count > 1) errors["status"] = ["Give it at most once."];
            else if (statusText.Count == 1 && !string.IsNullOrEmpty(statusText[0]))
            {
                if (WireNames<OrderStatus>.TryParse(statusText[0], out var parsed)) status = parsed;
                else errors["status"] = [$"'{SafeText.Display(statusText[0], 40)}' is not one of: {string.Join(", ", WireNames<OrderStatus>.All)}."];
            }
            if (errors.Count > 0) return Problems.Invalid(errors);
            var records = await store.ListAsync(status, limit, ct);
            var items = new List<OrderView>(records.Count);
            foreach (var r in records) items.Add(OrderView.Of(r, await store.ReadChangesAsync(r.Intent.Cloid, ct)));
            var boots = await store.ListBootEventsAsync(BootEventsShown, ct);
            return Results.Ok(new OrderListResponse([.. items], boots.Select(b => new BootEventView(b.At, b.Process, b.Mode, b.Message)).ToArray()));
        });
}
