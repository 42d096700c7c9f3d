using HyperFunctions.Domain.Failover;
using HyperFunctions.Functions.Failover;
using HyperFunctions.Functions.Hosting;

namespace HyperFunctions.Functions.Functions.Failover;

/// <summary>POST /api/failover {reason, dryRun?, force?} (admin) — moves trading from the primary to the backup site; dryRun (default true) only shows the plan.</summary>
public sealed class PostFailover : IHttpFunction
{
    public string Name => nameof(PostFailover);

    public RouteHandlerBuilder Map(IEndpointRouteBuilder routes) =>
        routes.MapPost("/api/failover", (HttpRequest request, FailoverCoordinator coordinator, IHostApplicationLifetime lifetime) =>
            FailoverHttp.HandleAsync(FailoverKind.Failover, request, coordinator, lifetime));
}
