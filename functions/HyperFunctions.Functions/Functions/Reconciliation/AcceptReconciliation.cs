using HyperFunctions.Configuration;
using HyperFunctions.Domain.Reconciliation;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Functions.Http;
using HyperFunctions.Storage.Reconciliation;

namespace HyperFunctions.Functions.Functions.Reconciliation;

/// <summary>
/// POST /api/reconciliation/{id}/accept {reason} — operator: adopt the report's venue sizes as the new
/// baseline at the report's venue time, with an audit record (who, when, why, from which report). Only the
/// latest report, judged against the current baseline, can be accepted (409 otherwise). It changes no
/// safety state: the next check run finds no drift and the publisher clears RECONCILE_DRIFT;
/// RECONCILE_CRITICAL is cleared the same way but its HALT stays until POST /api/safety/reset.
/// </summary>
public sealed class AcceptReconciliation : IHttpFunction
{
    private static readonly string[] Fields = ["reason"];

    public string Name => nameof(AcceptReconciliation);

    public RouteHandlerBuilder Map(IEndpointRouteBuilder routes) =>
        routes.MapPost("/api/reconciliation/{id}/accept", async (string id, HttpRequest request, ReconciliationStore store, LoadedConfiguration configuration, TimeProvider time, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync(request, Fields);
            if (body is null) return error!;
            var reason = body.Text("reason", required: true);
            var actor = OperatorIdentity.Resolve(request, body);
            if (ReconciliationHttp.IdError(id) is { } bad) body.Error(ReconciliationHttp.IdField, bad);
            if (!body.IsValid) return Problems.Invalid(body.Errors);

            var budget = ReconciliationHttp.Budget(configuration);
            var (report, readError) = await ReconciliationHttp.TryAsync(t => store.ReadReportAsync(id, t), budget, ct);
            if (readError is not null) return readError;
            if (report is null) return Problems.Create(StatusCodes.Status404NotFound, "Unknown report", $"There is no reconciliation report '{id}'.");
            var (latest, latestError) = await ReconciliationHttp.TryAsync(t => store.ReadLatestReportAsync(t), budget, ct);
            if (latestError is not null) return latestError;
            if (latest is not null && latest.Id != report.Id)
                return Conflict("NOT_LATEST", $"Report {id} is not the latest; only the latest report ({latest.Id}) can be accepted. Read it at GET /api/reconciliation/latest.");
            var (stored, baselineError) = await ReconciliationHttp.TryAsync(t => store.ReadBaselineAsync(t), budget, ct);
            if (baselineError is not null) return baselineError;
            if (stored is null) return Conflict("NO_BASELINE", "There is no baseline yet; the first check run takes one.");
            if (stored.Baseline.ReportId == report.Id || report.Adopted)
                return Results.Ok(new ReconciliationAcceptResponse("unchanged", id, ReconciliationBaselineView.From(stored.Baseline), "This report's venue sizes already are the baseline."));
            if (stored.Baseline.AsOfMs != report.BaselineAsOfMs)
                return Conflict("BASELINE_CHANGED", $"The baseline changed after report {id} was made (now {stored.Baseline.Source} from {stored.Baseline.ReportId ?? "the first snapshot"}); run the check again and accept its report.");

            var now = time.GetUtcNow();
            var next = new PositionBaseline(report.VenueSizes, report.VenueTimeMs, BaselineSources.Accepted, report.Id, actor, now, stored.Baseline.FillCursor);
            var audit = new ReconciliationAudit(now, BaselineSources.Accepted, actor, report.Id, reason!, stored.Baseline.Sizes, next.Sizes, next.AsOfMs);
            var (replaced, writeError) = await ReconciliationHttp.TryAsync(t => store.TryReplaceBaselineAsync(next, stored.ETag, audit, t), budget, ct);
            if (writeError is not null) return writeError;
            if (!replaced) return Conflict("BASELINE_CHANGED", "The baseline changed while accepting (another accept or an automatic adoption); read the latest report and try again.");
            return Results.Ok(new ReconciliationAcceptResponse("accepted", id, ReconciliationBaselineView.From(next),
                "The report's venue sizes are the new baseline. The next ReconciliationCheck run compares against them; run it now with POST /api/checks/ReconciliationCheck/run. "
                + "RECONCILE_DRIFT then clears by itself; a HALT for RECONCILE_CRITICAL stays until POST /api/safety/reset."));
        });

    private static IResult Conflict(string code, string detail) =>
        Problems.Create(StatusCodes.Status409Conflict, "Cannot accept this report", detail, new Dictionary<string, object?> { ["code"] = code });
}
