using HyperFunctions.Domain.Safety;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Functions.Http;
using HyperFunctions.Storage.Ledger;

namespace HyperFunctions.Functions.Functions;

/// <summary>POST /api/safety/promote {reason} — operator: ARMED_SAFE → ARMED_LIVE (refused from HALT or with active conditions).</summary>
public sealed class PromoteSafety : IHttpFunction
{
    private static readonly string[] Fields = ["reason"];

    public string Name => nameof(PromoteSafety);

    public RouteHandlerBuilder Map(IEndpointRouteBuilder routes) =>
        routes.MapPost("/api/safety/promote", async (HttpRequest request, SafetyLedger ledger, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync(request, Fields);
            if (body is null) return error!;
            var reason = body.Text("reason", required: true);
            var actor = OperatorIdentity.Resolve(request, body);
            if (!body.IsValid) return Problems.Invalid(body.Errors);
            return LedgerResults.ToHttp(await ledger.ApplyAsync(new Promote(actor, reason!), ct));
        });
}
