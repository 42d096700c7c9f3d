using HyperFunctions.Domain.Safety;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Functions.Http;
using HyperFunctions.Storage.Ledger;

namespace HyperFunctions.Functions.Functions;

/// <summary>POST /api/safety/halt {reasonCode?, message} — operator: anything → HALT (default reason MANUAL_HALT).</summary>
public sealed class HaltSafety : IHttpFunction
{
    private static readonly string[] Fields = ["reasonCode", "message"];

    public string Name => nameof(HaltSafety);

    public RouteHandlerBuilder Map(IEndpointRouteBuilder routes) =>
        routes.MapPost("/api/safety/halt", async (HttpRequest request, SafetyLedger ledger, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync(request, Fields);
            if (body is null) return error!;
            var reason = body.WireEnum<ReasonCode>("reasonCode", required: false) ?? ReasonCode.ManualHalt;
            var message = body.Text("message", required: true);
            var actor = OperatorIdentity.Resolve(request, body);
            if (!body.IsValid) return Problems.Invalid(body.Errors);
            return LedgerResults.ToHttp(await ledger.ApplyAsync(new OperatorHalt(reason, actor, message!), ct));
        });
}
