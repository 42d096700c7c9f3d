using HyperFunctions.Configuration;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Functions.Http;
using HyperFunctions.Storage.Reconciliation;

namespace HyperFunctions.Functions.Functions.Reconciliation;

/// <summary>GET /api/reconciliation/{id} — one stored report; 400 for a malformed id, 404 for an unknown one.</summary>
public sealed class GetReconciliationReport : IHttpFunction
{
    public string Name => nameof(GetReconciliationReport);

    public RouteHandlerBuilder Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/reconciliation/{id}", async (string id, ReconciliationStore store, LoadedConfiguration configuration, CancellationToken ct) =>
        {
            if (ReconciliationHttp.IdError(id) is { } bad) return Problems.Invalid(ReconciliationHttp.IdField, bad);
            var (report, error) = await ReconciliationHttp.TryAsync(t => store.ReadReportAsync(id, t), ReconciliationHttp.Budget(configuration), ct);
            if (error is not null) return error;
            return report is null
                ? Problems.Create(StatusCodes.Status404NotFound, "Unknown report", $"There is no reconciliation report '{id}'.")
                : Results.Ok(ReconciliationReportView.From(report));
        });
}
