using HyperFunctions.Domain.Safety;
using HyperFunctions.Functions.Execution;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Functions.Http;
using HyperFunctions.Storage.Ledger;

namespace HyperFunctions.Functions.Functions;

/// <summary>
/// POST /api/safety/halt {reasonCode?, message, cancelAll?} — operator: anything → HALT (default reason MANUAL_HALT).
/// With <c>cancelAll: true</c> it is the kill switch (<see cref="KillSwitch"/>): HALT KILL_SWITCH first, then every open
/// order of the account cancelled and the venue's scheduleCancel armed; the answer says what was cancelled and how long it took.
/// </summary>
public sealed class HaltSafety : IHttpFunction
{
    private static readonly string[] Fields = ["reasonCode", "message", "cancelAll"];

    public string Name => nameof(HaltSafety);

    public RouteHandlerBuilder Map(IEndpointRouteBuilder routes) =>
        routes.MapPost("/api/safety/halt", async (HttpRequest request, SafetyLedger ledger, KillSwitch killSwitch, IHostApplicationLifetime lifetime, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync(request, Fields);
            if (body is null) return error!;
            var reason = body.WireEnum<ReasonCode>("reasonCode", required: false);
            var message = body.Text("message", required: true);
            var cancelAll = body.Flag("cancelAll");
            if (cancelAll && reason is { } given && given != ReasonCode.KillSwitch)
                body.Error("reasonCode", $"With cancelAll the reason is {ReasonCode.KillSwitch.ToWire()}; leave reasonCode out or give {ReasonCode.KillSwitch.ToWire()}.");
            var actor = OperatorIdentity.Resolve(request, body);
            if (!body.IsValid) return Problems.Invalid(body.Errors);
            if (!cancelAll) return LedgerResults.ToHttp(await ledger.ApplyAsync(new OperatorHalt(reason ?? ReasonCode.ManualHalt, actor, message!), ct));

            // A kill switch runs to its end even if the caller hangs up: only the process stopping cuts it short.
            var run = await killSwitch.EngageAsync(actor, message!, lifetime.ApplicationStopping);
            return run.Ledger is LedgerResult.Unavailable
                ? Results.Json(KillSwitchResponse.Of(run), ApiJsonContext.Default.KillSwitchResponse, statusCode: StatusCodes.Status503ServiceUnavailable)
                : Results.Ok(KillSwitchResponse.Of(run));
        });
}
