using HyperFunctions.Domain.Safety;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Functions.Http;
using HyperFunctions.Storage.Ledger;

namespace HyperFunctions.Functions.Functions;

/// <summary>
/// POST /api/safety/reset {mode, reasonCode?, message, allowNonHalt?} — operator: set any mode and clear
/// automatic conditions. From a mode other than HALT it needs allowNonHalt=true (as the runbook's reset tool).
/// </summary>
public sealed class ResetSafety : IHttpFunction
{
    private static readonly string[] Fields = ["mode", "reasonCode", "message", "allowNonHalt"];

    public string Name => nameof(ResetSafety);

    public RouteHandlerBuilder Map(IEndpointRouteBuilder routes) =>
        routes.MapPost("/api/safety/reset", async (HttpRequest request, SafetyLedger ledger, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync(request, Fields);
            if (body is null) return error!;
            var mode = body.WireEnum<SafetyMode>("mode", required: true);
            var reason = body.WireEnum<ReasonCode>("reasonCode", required: false) ?? ReasonCode.ManualReset;
            var message = body.Text("message", required: true);
            var allowNonHalt = body.Flag("allowNonHalt");
            var actor = OperatorIdentity.Resolve(request, body);
            if (!body.IsValid) return Problems.Invalid(body.Errors);
            return LedgerResults.ToHttp(await ledger.ApplyAsync(new OperatorReset(mode!.Value, reason, allowNonHalt, actor, message!), ct));
        });
}
