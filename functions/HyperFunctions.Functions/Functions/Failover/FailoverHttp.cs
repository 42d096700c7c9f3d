using HyperFunctions.Domain.Failover;
using HyperFunctions.Functions.Failover;
using HyperFunctions.Functions.Http;

namespace HyperFunctions.Functions.Functions.Failover;

/// <summary>The shared body of POST /api/failover and POST /api/failback.</summary>
internal static class FailoverHttp
{
    private static readonly string[] Fields = ["reason", "dryRun", "force"];

    /// <summary>{reason (required), dryRun (default true), force (default false)} → plan (200), run (200; <c>success</c> false when it rolled back), or 409.</summary>
    public static async Task<IResult> HandleAsync(FailoverKind kind, HttpRequest request, FailoverCoordinator coordinator, IHostApplicationLifetime lifetime)
    {
        var (body, error) = await JsonBody.ReadAsync(request, Fields);
        if (body is null) return error!;
        var reason = body.Text("reason", required: true);
        var dryRun = body.OptionalFlag("dryRun") ?? true;
        var force = body.Flag("force");
        var actor = OperatorIdentity.Resolve(request, body);
        if (force && kind == FailoverKind.Failback) body.Error("force", "Only a failover has a cooldown to override; a failback is never limited by it.");
        if (!body.IsValid) return Problems.Invalid(body.Errors);
        // A real run is not tied to the HTTP request: a client that hangs up must not stop it half-way.
        var ct = dryRun ? request.HttpContext.RequestAborted : lifetime.ApplicationStopping;
        var outcome = await coordinator.RunAsync(new FailoverRequest(kind, reason!, actor, dryRun, force, Automatic: false), ct);
        return outcome switch
        {
            FailoverOutcome.Planned p => Results.Ok(new FailoverPlanResponse(true, p.RunId, p.Kind.ToWire(), p.FromSite, p.ToSite, p.State, p.ActiveSite, p.WouldRun, p.Preconditions, p.Steps)),
            FailoverOutcome.Ran r => Results.Json(new FailoverRunResponse(r.Success, r.RunId, r.Kind.ToWire(), r.Outcome.ToWire(), r.FromSite, r.ToSite, r.State, r.ActiveSite, r.Forced, r.Steps, r.DurationSeconds, r.RecoveredRun),
                FailoverJsonContext.Default.FailoverRunResponse),
            FailoverOutcome.Refused f => Problems.Create(StatusCodes.Status409Conflict, Title(f.Code), f.Message, new Dictionary<string, object?>
            {
                ["code"] = f.Code,
                ["runInProgress"] = f.RunInProgress,
                ["nextAllowedAt"] = f.NextAllowedAt?.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                ["failingChecks"] = f.FailingChecks,
            }),
            _ => Problems.Create(StatusCodes.Status500InternalServerError, "Unknown outcome", "The coordinator answered with an unknown outcome."),
        };
    }

    private static string Title(string code) => code switch
    {
        "RUN_IN_PROGRESS" => "A run is in progress",
        "COOLDOWN" => "Failover cooldown",
        "DAILY_CAP" => "Failover daily cap reached",
        "PRIMARY_UNHEALTHY" => "The primary site is unhealthy",
        "FAILOVER_OFF" => "Failover is not configured",
        _ => "Not allowed from the current state",
    };
}
