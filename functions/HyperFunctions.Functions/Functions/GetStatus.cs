using HyperFunctions.Configuration;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Functions.Http;
using HyperFunctions.Storage.Ledger;
using HyperFunctions.Storage.Processes;

namespace HyperFunctions.Functions.Functions;

/// <summary>
/// GET /api/status — the one page an operator reads. Answers from this process's memory, never from
/// storage, so it is instant even while storage hangs: the safety state as last read or written (kept
/// fresh by the prober; a local hold shows as HALT) with its age, storage health, and the processes seen.
/// </summary>
public sealed class GetStatus : IHttpFunction
{
    public string Name => nameof(GetStatus);

    public RouteHandlerBuilder Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/status", (SafetyLedger ledger, ProcessRegistry registry, LoadedConfiguration config, HostingInfo hosting, StreamFactsSource stream, AlertsStatusSource alerts, TimeProvider time) =>
        {
            var now = time.GetUtcNow();
            var memory = ledger.Remembered;
            var (streamView, markets) = stream.View(now);
            return Results.Ok(new StatusResponse(
                ledger.InstanceId,
                hosting.Name,
                config.ConfigHash,
                SafetyView.From(memory.Effective),
                StorageView.From(memory, now),
                ProcessesView.From(registry, memory.Effective.Ledger?.ConfigHash, now),
                streamView,
                markets,
                alerts.View(now)));
        });
}
