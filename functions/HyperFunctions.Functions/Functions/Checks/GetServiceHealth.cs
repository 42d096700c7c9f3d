using HyperFunctions.Functions.Hosting;
using HyperFunctions.Functions.Http;
using HyperFunctions.Functions.ServiceHealth;

namespace HyperFunctions.Functions.Functions.Checks;

/// <summary>
/// GET /api/health/checks — the service probes as this process sees them, from memory: overall health,
/// healthy/total and each probe's state. Answers 503 while a critical probe is unhealthy (UNHEALTHY, as
/// ASP.NET Core health checks answer), 200 when HEALTHY or DEGRADED, so a load balancer or the other
/// site can use it as is. Function key.
/// </summary>
public sealed class GetServiceHealth : IHttpFunction
{
    public string Name => nameof(GetServiceHealth);

    public RouteHandlerBuilder Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/health/checks", (ServiceHealthMonitor monitor, TimeProvider time) =>
        {
            var view = ServiceHealthView.From(monitor.Report(), time.GetUtcNow());
            return TypedResults.Json(view, ApiJsonContext.Default.ServiceHealthView,
                statusCode: view.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
}
