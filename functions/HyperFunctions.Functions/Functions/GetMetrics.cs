using HyperFunctions.Functions.Hosting;
using HyperFunctions.Functions.Http;
using HyperFunctions.Telemetry;

namespace HyperFunctions.Functions.Functions;

/// <summary>
/// GET /metrics — Prometheus text exposition of every metric of this process (function key). Self-host
/// serves it at /metrics. Under the Functions host every HTTP route carries host.json's routePrefix
/// ("api"), and the host forwards the request with its path unchanged, so there it is /api/metrics.
/// </summary>
public sealed class GetMetrics(HostingInfo hosting) : IHttpFunction
{
    public const string CustomHandlerPath = "/api" + HyperFunctionsDiagnostics.MetricsPath;

    public string Name => nameof(GetMetrics);

    public RouteHandlerBuilder Map(IEndpointRouteBuilder routes)
    {
        var scrape = routes.CreatePrometheusScrapeHandler();
        var path = hosting.Mode == HostingMode.CustomHandler ? CustomHandlerPath : HyperFunctionsDiagnostics.MetricsPath;
        return routes.MapGet(path, async (HttpContext context) =>
        {
            await scrape(context);
            return Results.Empty;
        });
    }
}
