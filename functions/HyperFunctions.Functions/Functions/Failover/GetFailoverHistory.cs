using HyperFunctions.Functions.Hosting;
using HyperFunctions.Functions.Http;
using HyperFunctions.Storage.Failover;

namespace HyperFunctions.Functions.Functions.Failover;

/// <summary>GET /api/failover/history?limit= (function key) — runs newest first (real, dry-run, refused), each with its steps and durations.</summary>
public sealed class GetFailoverHistory : IHttpFunction
{
    private const int DefaultLimit = 20;
    private const int MaxLimit = 100;

    public string Name => nameof(GetFailoverHistory);

    public RouteHandlerBuilder Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/failover/history", async (HttpRequest request, FailoverStore store, CancellationToken ct) =>
        {
            var query = new QueryReader(request.Query);
            var limit = query.Limit(DefaultLimit, MaxLimit);
            if (!query.IsValid) return query.Problem();
            try
            {
                var runs = await store.ReadRunsAsync(limit, ct);
                var steps = await store.ReadStepsAsync([.. runs.Select(r => r.RunId)], ct); // one query for all listed runs
                return Results.Json(new FailoverHistoryResponse([.. runs.Select(r => RunView.Of(r, steps[r.RunId]))]), FailoverJsonContext.Default.FailoverHistoryResponse);
            }
            catch (Azure.RequestFailedException ex) when (ex.Status == 404)
            {
                return Results.Json(new FailoverHistoryResponse([]), FailoverJsonContext.Default.FailoverHistoryResponse); // nothing ever ran
            }
        });
}
