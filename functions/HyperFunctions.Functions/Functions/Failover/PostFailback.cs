using HyperFunctions.Domain.Failover;
using HyperFunctions.Functions.Failover;
using HyperFunctions.Functions.Hosting;

namespace HyperFunctions.Functions.Functions.Failover;

/// <summary>POST /api/failback {reason, dryRun?} (admin) — moves trading back to the primary; 409 with the failing checks while the primary is unhealthy.</summary>
public sealed class PostFailback : IHttpFunction
{
    public string Name => nameof(PostFailback);

    public RouteHandlerBuilder Map(IEndpointRouteBuilder routes) =>
        routes.MapPost("/api/failback", (HttpRequest request, FailoverCoordinator coordinator, IHostApplicationLifetime lifetime) =>
            FailoverHttp.HandleAsync(FailoverKind.Failback, request, coordinator, lifetime));
}
