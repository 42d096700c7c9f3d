using HyperFunctions.Functions.Checks;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Functions.Http;

namespace HyperFunctions.Functions.Functions.Checks;

/// <summary>
/// POST /api/checks/{name}/run — operator: run one check now (after a fix, to re-check without waiting
/// for its timer). Same runner and publisher as the timer: the verdict takes effect in the ledger, the
/// stored result, status and alerts. Answers the result and what the ledger did.
/// </summary>
public sealed class RunCheck : IHttpFunction
{
    public string Name => nameof(RunCheck);

    public RouteHandlerBuilder Map(IEndpointRouteBuilder routes) =>
        routes.MapPost("/api/checks/{name}/run", async (string name, IEnumerable<ICheck> checks, CheckRunner runner, TimeProvider time, CancellationToken ct) =>
        {
            var known = checks.ToList();
            var check = known.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
            if (check is null)
                return Problems.Create(StatusCodes.Status404NotFound, "Unknown check",
                    $"There is no check named '{SafeText.Display(name)}'. Checks: {string.Join(", ", known.Select(c => c.Name).Order(StringComparer.Ordinal))}.");
            var publication = await runner.RunAsync(check, "manual", ct);
            return Results.Ok(new CheckRunResponse(CheckView.From(publication.Result, time.GetUtcNow()), publication.LedgerOutcomes.ToArray()));
        });
}
