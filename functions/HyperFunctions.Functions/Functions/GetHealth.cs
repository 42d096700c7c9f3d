using HyperFunctions.Functions.Hosting;
using HyperFunctions.Functions.Http;

namespace HyperFunctions.Functions.Functions;

/// <summary>GET /api/health — anonymous liveness: the process answers. Says nothing about trading safety (see /api/status).</summary>
public sealed class GetHealth : IHttpFunction
{
    public string Name => nameof(GetHealth);

    public RouteHandlerBuilder Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/health", (HostingInfo hosting) => Results.Ok(new HealthResponse("ok", hosting.Name)));
}
