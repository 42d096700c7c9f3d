using HyperFunctions.Functions.Failover;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Functions.Http;

namespace HyperFunctions.Functions.Functions.Failover;

/// <summary>GET /api/failover (function key) — the coordinator as this process remembers it (the same view as status' failover section).</summary>
public sealed class GetFailover : IHttpFunction
{
    public string Name => nameof(GetFailover);

    public RouteHandlerBuilder Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/failover", (FailoverConfig config, FailoverMemory memory, TimeProvider time) =>
            Results.Json(FailoverStatusView.From(config, memory, time.GetUtcNow()), FailoverJsonContext.Default.FailoverStatusView));
}
