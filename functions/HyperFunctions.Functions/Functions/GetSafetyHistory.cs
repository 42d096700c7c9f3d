using HyperFunctions.Configuration;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Functions.Http;
using HyperFunctions.Storage.Ledger;

namespace HyperFunctions.Functions.Functions;

/// <summary>GET /api/safety/history?limit=&amp;before= — transitions newest first; page back with before=nextBefore.</summary>
public sealed class GetSafetyHistory : IHttpFunction
{
    private const int DefaultLimit = 50;

    public string Name => nameof(GetSafetyHistory);

    public RouteHandlerBuilder Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/safety/history", async (HttpRequest request, SafetyLedger ledger, LoadedConfiguration config, CancellationToken ct) =>
        {
            var query = new QueryReader(request.Query);
            var limit = query.Limit(DefaultLimit, config.Settings.Api.MaxHistoryPageSize);
            var before = query.WholeNumber("before", 1, long.MaxValue);
            if (!query.IsValid) return query.Problem();
            try
            {
                var items = await ledger.ReadHistoryAsync(limit, before, ct);
                var next = items.Count == limit && items[^1].Version > 1 ? items[^1].Version : (long?)null;
                return Results.Ok(new HistoryResponse(items.Select(TransitionView.Of).ToArray(), next));
            }
            catch (LedgerUnavailableException ex)
            {
                return LedgerResults.Unavailable(ex.Hold);
            }
        });
}
