using HyperFunctions.Configuration;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Functions.Http;
using HyperFunctions.Storage.Ledger;

namespace HyperFunctions.Functions.Functions;

/// <summary>GET /api/status — the effective safety state (freshly read; a local hold shows as HALT), config hash, storage.</summary>
public sealed class GetStatus : IHttpFunction
{
    public string Name => nameof(GetStatus);

    public RouteHandlerBuilder Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/status", async (SafetyLedger ledger, LoadedConfiguration config, HostingInfo hosting, CancellationToken ct) =>
        {
            var effective = await ledger.GetEffectiveAsync(ct);
            return Results.Ok(new StatusResponse(
                ledger.InstanceId,
                hosting.Name,
                config.ConfigHash,
                SafetyView.From(effective),
                new StorageView(effective.Hold is null, ledger.UsableSince)));
        });
}
