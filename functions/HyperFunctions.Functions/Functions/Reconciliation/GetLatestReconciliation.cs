using HyperFunctions.Configuration;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Functions.Http;
using HyperFunctions.Storage.Reconciliation;

namespace HyperFunctions.Functions.Functions.Reconciliation;

/// <summary>
/// GET /api/reconciliation/latest — the newest ReconciliationCheck report (null before the first run), the
/// baseline it is judged against, and the last baseline changes (audit). 200 even before the first run.
/// </summary>
public sealed class GetLatestReconciliation : IHttpFunction
{
    private const int AuditShown = 10;

    public string Name => nameof(GetLatestReconciliation);

    public RouteHandlerBuilder Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/reconciliation/latest", async (ReconciliationStore store, LoadedConfiguration configuration, CancellationToken ct) =>
        {
            var budget = ReconciliationHttp.Budget(configuration);
            var (report, reportError) = await ReconciliationHttp.TryAsync(t => store.ReadLatestReportAsync(t), budget, ct);
            if (reportError is not null) return reportError;
            var (baseline, baselineError) = await ReconciliationHttp.TryAsync(t => store.ReadBaselineAsync(t), budget, ct);
            if (baselineError is not null) return baselineError;
            var (audit, auditError) = await ReconciliationHttp.TryAsync(t => store.ReadAuditAsync(AuditShown, t), budget, ct);
            if (auditError is not null) return auditError;
            return Results.Ok(new ReconciliationLatestResponse(
                report is null ? null : ReconciliationReportView.From(report),
                baseline is null ? null : ReconciliationBaselineView.From(baseline.Baseline),
                [.. audit!.Select(ReconciliationAuditView.From)]));
        });
}
