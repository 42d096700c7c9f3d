using HyperFunctions.Configuration;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Functions.Http;
using HyperFunctions.Storage;
using HyperFunctions.Storage.Alerts;

namespace HyperFunctions.Functions.Functions.Alerts;

/// <summary>
/// GET /api/alerts?state=open|recent&amp;limit= — open alerts (highest level first) and recently resolved ones (newest
/// first); without state, both. Read from storage (bounded by Storage:OperationTimeoutSeconds): 503 while it is unusable.
/// </summary>
public sealed class GetAlerts : IHttpFunction
{
    private const int DefaultLimit = 50;
    private const int MaxLimit = 500;
    private static readonly string[] States = ["open", "recent"];

    public string Name => nameof(GetAlerts);

    public RouteHandlerBuilder Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/alerts", async (HttpRequest request, AlertPipeline pipeline, LoadedConfiguration config, CancellationToken ct) =>
        {
            var query = new QueryReader(request.Query);
            var state = query.Text("state", "one of: open, recent");
            if (state is not null && !States.Contains(state, StringComparer.Ordinal))
                query.Error("state", $"'{SafeText.Display(state)}' is not one of: open, recent.");
            var limit = query.Limit(DefaultLimit, MaxLimit);
            if (!query.IsValid) return query.Problem();
            try
            {
                var (open, recent) = await pipeline.ReadAsync(ct);
                return Results.Ok(new AlertsResponse(
                    state is null or "open" ? open.Take(limit).Select(AlertView.Of).ToArray() : null,
                    state is null or "recent" ? recent.Take(limit).Select(AlertView.Of).ToArray() : null));
            }
            catch (Exception ex) when (!ct.IsCancellationRequested && ex is Azure.RequestFailedException or TimeoutException or HttpRequestException or IOException)
            {
                return Problems.Create(StatusCodes.Status503ServiceUnavailable, "Alerts unavailable",
                    $"The alerts table could not be read: {FailureEpisode.OneLine(ex)}. GET /api/status shows the open count as last read.");
            }
        });
}
