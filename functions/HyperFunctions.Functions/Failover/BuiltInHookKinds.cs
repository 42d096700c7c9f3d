using System.Diagnostics;
using System.Net.Http.Json;
using HyperFunctions.Domain.Execution;
using HyperFunctions.Domain.Failover;
using HyperFunctions.Domain.Safety;
using HyperFunctions.Functions.Checks;
using HyperFunctions.Functions.Functions.Checks;
using HyperFunctions.Functions.Http;
using HyperFunctions.Hyperliquid.Rest;
using HyperFunctions.Storage.Ledger;

namespace HyperFunctions.Functions.Failover;

/// <summary>
/// setSafetyMode: raises FAILOVER_IN_PROGRESS at ARMED_SAFE (default) or HALT in the safety ledger, so no
/// position grows while trading moves. Rollback and finish clear the condition; the mode stays where the
/// ledger's rules leave it (ARMED_SAFE → ARMED_LIVE needs an operator's promote).
/// </summary>
public sealed class SetSafetyModeHook(SafetyLedger ledger) : IFailoverHookKind
{
    public string Kind => "setSafetyMode";

    private static SafetyMode Mode(HookSpec hook) => hook.Settings.GetValueOrDefault("mode") == "HALT" ? SafetyMode.Halt : SafetyMode.ArmedSafe;

    public Task<HookPreview> PreviewAsync(HookContext context, CancellationToken ct)
    {
        var effective = ledger.Remembered.Effective;
        return Task.FromResult(new HookPreview(
            $"Raise {ReasonCode.FailoverInProgress.ToWire()} at {Mode(context.Hook).ToWire()} in the safety ledger (now {effective.Mode.ToWire()}).",
            [new Precondition("The safety ledger is writable (no local hold)", effective.Hold is null, effective.Hold?.Message)]));
    }

    public async Task<HookResult> RunAsync(HookContext context, CancellationToken ct) =>
        Describe(await ledger.ApplyAsync(new RaiseCondition(ReasonCode.FailoverInProgress, Mode(context.Hook), Actor(context),
            $"{context.Kind.ToWire()} {context.FromSite} → {context.ToSite} (run {context.RunId}): {context.Reason}"), ct));

    public async Task<HookResult?> RollBackAsync(HookContext context, CancellationToken ct) => await ClearAsync(context, "rolled back", ct);

    public async Task<HookResult?> FinishAsync(HookContext context, CancellationToken ct) => await ClearAsync(context, "completed", ct);

    private async Task<HookResult> ClearAsync(HookContext context, string how, CancellationToken ct) =>
        Describe(await ledger.ApplyAsync(new ClearCondition(ReasonCode.FailoverInProgress, TimeSpan.Zero, Actor(context),
            $"{context.Kind.ToWire()} run {context.RunId} {how}."), ct));

    private static string Actor(HookContext context) => $"failover:{context.Actor}";

    private static HookResult Describe(LedgerResult result) => result switch
    {
        LedgerResult.Applied a => HookResult.Ok($"Ledger v{a.Record.Version}: {a.State.Mode.ToWire()} ({a.State.Reason.ToWire()})."),
        LedgerResult.Unchanged u => HookResult.Ok($"Ledger unchanged ({u.State.Mode.ToWire()}): {u.Why}"),
        LedgerResult.Rejected r => HookResult.Fail($"The ledger refused: {r.Code}: {r.Why}"),
        LedgerResult.Unavailable h => HookResult.Fail($"The ledger is not writable (local hold {h.Hold.Reason.ToWire()}): {h.Hold.Message}"),
        _ => HookResult.Fail("Unknown ledger result."),
    };
}

/// <summary>
/// cancelAll: cancels every open order of the own account through <see cref="IOpenOrderCanceller"/> (from DI).
/// Without a registered canceller it fails with a clear message. Cannot be undone.
/// </summary>
public sealed class CancelAllHook(IServiceProvider services) : IFailoverHookKind
{
    public string Kind => "cancelAll";

    private IOpenOrderCanceller? Canceller => services.GetService<IOpenOrderCanceller>();

    public Task<HookPreview> PreviewAsync(HookContext context, CancellationToken ct) =>
        Task.FromResult(new HookPreview("Cancel every open order of the own account at the venue.",
            [new Precondition("An order canceller is registered", Canceller is not null, Canceller is null ? NotRegistered : null)]));

    public async Task<HookResult> RunAsync(HookContext context, CancellationToken ct)
    {
        if (Canceller is not { } canceller) return HookResult.Fail(NotRegistered);
        var report = await canceller.CancelAllAsync($"{context.Kind.ToWire()} run {context.RunId}: {context.Reason}", ct);
        var cancelled = report.Orders.Count(o => o.Cancelled);
        var detail = $"{cancelled} of {report.Orders.Count} open order(s) cancelled in {report.Duration.TotalMilliseconds:F0} ms"
            + (report.Failure is { } f ? $"; failure: {f}" : "")
            + string.Concat(report.Orders.Where(o => !o.Cancelled).Take(5).Select(o => $"; {o.Coin} oid {o.Oid}: {o.Error}"));
        return new HookResult(report.Complete, detail + ".");
    }

    private const string NotRegistered = "No IOpenOrderCanceller is registered in this build, so open orders cannot be cancelled.";
}

/// <summary>switchSite: the coordinator moves the active-site marker in this step's own transaction (ETag-guarded); rollback moves it back.</summary>
public sealed class SwitchSiteHook : IFailoverHookKind
{
    public string Kind => FailoverPlan.SwitchKind;

    public Task<HookPreview> PreviewAsync(HookContext context, CancellationToken ct) =>
        Task.FromResult(new HookPreview($"Set the active site from {context.FromSite} to {context.ToSite} (one ETag-guarded write; processes of {context.FromSite} then refuse new orders with SITE_PASSIVE).", []));

    public Task<HookResult> RunAsync(HookContext context, CancellationToken ct) =>
        Task.FromResult(HookResult.Ok($"Active site {context.FromSite} → {context.ToSite}."));

    public Task<HookResult?> RollBackAsync(HookContext context, CancellationToken ct) =>
        Task.FromResult<HookResult?>(HookResult.Ok($"Active site back to {context.FromSite}."));
}

/// <summary>http: one request to Url (POST by default, with the run as JSON); a 2xx answer is success.</summary>
public sealed class HttpHook(IHttpClientFactory clients) : IFailoverHookKind
{
    public const string ClientName = "failover-hooks";

    public string Kind => "http";

    public IEnumerable<string> Validate(HookSpec hook, string key)
    {
        if (!hook.Settings.TryGetValue("url", out var url) || !Uri.TryCreate(url, UriKind.Absolute, out _)) yield return $"{key}: an http hook needs Url.";
    }

    public Task<HookPreview> PreviewAsync(HookContext context, CancellationToken ct) =>
        Task.FromResult(new HookPreview($"{Method(context.Hook)} {Domain.ServiceHealth.ProbeText.ScrubUrl(context.Hook.Settings["url"])}; a 2xx answer is success.", []));

    public async Task<HookResult> RunAsync(HookContext context, CancellationToken ct)
    {
        var method = new HttpMethod(Method(context.Hook));
        using var request = new HttpRequestMessage(method, context.Hook.Settings["url"]);
        if (method != HttpMethod.Get)
            request.Content = JsonContent.Create(new HookCall(context.RunId, context.Kind.ToWire(), context.FromSite, context.ToSite, context.Reason, context.Actor), Http.FailoverJsonContext.Default.HookCall);
        using var response = await clients.CreateClient(ClientName).SendAsync(request, ct);
        var status = (int)response.StatusCode;
        return status is >= 200 and < 300 ? HookResult.Ok($"HTTP {status}.") : HookResult.Fail($"HTTP {status} (expected 2xx).");
    }

    private static string Method(HookSpec hook) => hook.Settings.GetValueOrDefault("method") ?? "POST";
}

/// <summary>The JSON an http hook sends.</summary>
public sealed record HookCall(string RunId, string Kind, string From, string To, string Reason, string Actor);

/// <summary>runChecks: runs the target site's probes once now; fails when any fails.</summary>
public sealed class RunChecksHook(SiteHealth sites) : IFailoverHookKind
{
    public string Kind => "runChecks";

    public Task<HookPreview> PreviewAsync(HookContext context, CancellationToken ct)
    {
        var failing = sites.Failing(context.ToSite);
        var probes = sites.ProbesOf(context.ToSite);
        var named = probes.Count > 0 ? string.Join(", ", probes) : "none configured";
        return Task.FromResult(new HookPreview(
            $"Run the probes of site {context.ToSite} now ({named}); fail if any fails.",
            [new Precondition($"The probes of {context.ToSite} are healthy now", failing.Count == 0, failing.Count == 0 ? null : string.Join("; ", failing))]));
    }

    public async Task<HookResult> RunAsync(HookContext context, CancellationToken ct)
    {
        var probes = sites.ProbesOf(context.ToSite);
        var failing = await sites.VerifyNowAsync(context.ToSite, ct);
        return failing.Count == 0
            ? HookResult.Ok($"{probes.Count} probe(s) of {context.ToSite} passed{(probes.Count == 0 ? " (none configured)" : $": {string.Join(", ", probes)}")}.")
            : HookResult.Fail($"Failing on {context.ToSite}: {string.Join("; ", failing)}.");
    }
}

/// <summary>reconcile: runs the ReconciliationCheck now (same runner and publisher as its timer); fails when it cannot run or is unhealthy.</summary>
public sealed class ReconcileHook(IEnumerable<ICheck> checks, IServiceProvider services) : IFailoverHookKind
{
    public string Kind => "reconcile";

    private ICheck? Check => checks.FirstOrDefault(c => c.Name == nameof(ReconciliationCheck));

    public Task<HookPreview> PreviewAsync(HookContext context, CancellationToken ct) =>
        Task.FromResult(new HookPreview("Run a reconciliation (ReconciliationCheck) of positions against the venue.",
            [new Precondition("The ReconciliationCheck is registered", Check is not null)]));

    public async Task<HookResult> RunAsync(HookContext context, CancellationToken ct)
    {
        if (Check is not { } check) return HookResult.Fail("The ReconciliationCheck is not registered.");
        var publication = await services.GetRequiredService<CheckRunner>().RunAsync(check, "failover", ct);
        return new HookResult(publication.Result.Health != Domain.Checks.CheckHealth.Unhealthy, SafeText.Display(publication.Summary, 500));
    }
}

/// <summary>venueConnection: one /info meta request to the venue; fails when it does not answer.</summary>
public sealed class VenueConnectionHook(IServiceProvider services, TimeProvider time) : IFailoverHookKind
{
    public string Kind => "venueConnection";

    public Task<HookPreview> PreviewAsync(HookContext context, CancellationToken ct) =>
        Task.FromResult(new HookPreview("Ask the venue for its meta (one /info request) to verify the connection.", []));

    public async Task<HookResult> RunAsync(HookContext context, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var meta = await services.GetRequiredService<IHyperliquidInfoClient>().GetMetaAsync(ct);
        return HookResult.Ok($"The venue answered with {meta.Universe.Count} market(s) in {time.GetElapsedTime(started).TotalMilliseconds:F0} ms.");
    }
}
