using System.Globalization;
using System.Text.Json.Nodes;
using HyperFunctions.Hyperliquid.Signing;
using HyperFunctions.Simulator;
using HyperFunctions.Streaming;
using HyperFunctions.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace HyperFunctions.Functions.Tests.Reconciliation;

/// <summary>
/// ReconciliationCheck end to end: the simulator (real order placement, so fills happen, and the
/// DivergePosition fault that changes the size clearinghouseState reports behind the system's back), the
/// in-process keeper writing the dev account's fills to Azurite, and the function app's HTTP routes.
/// Runs go through POST /api/checks/ReconciliationCheck/run; the tests wait on the keeper's signals, never on time.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ReconciliationCheckTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);
    private static readonly string Dev = SimulatorAccount.Dev.Address.ToLowerInvariant();
    private long _nonce;

    [Fact]
    public async Task A_position_changed_behind_the_systems_back_is_drift_then_critical_with_stored_reports_and_accept_rebases()
    {
        await using var sim = await HyperliquidSimulator.StartAsync(new SimulatorOptions { MarketTickInterval = TimeSpan.FromMilliseconds(200) });
        await using var app = await StartAppAsync(sim, new Dictionary<string, string?>());
        var keeper = app.App.Services.GetRequiredService<StreamKeeper>();
        await WaitAsync(keeper, s => s.Connected && s.Accounts.Any(a => a.Account == Dev && a.Backfill == "done"), "keeper following the dev account");

        // First run: no baseline yet, the venue snapshot (flat) becomes it.
        var first = await RunAsync(app);
        Assert.Equal("HEALTHY", (string?)first["result"]!["health"]);
        var (_, latest) = await app.SendAsync(HttpMethod.Get, "/api/reconciliation/latest", TestApp.FunctionKey);
        Assert.Equal("initial-snapshot", (string?)latest!["report"]!["kind"]);
        Assert.Equal("initial", (string?)latest["baseline"]!["source"]);
        Assert.Equal("initial", (string?)latest["audit"]![0]!["action"]);

        // A real fill the keeper records: venue and local book agree.
        await TradeAsync(sim, "BTC", buy: true);
        await WaitForStoredFillsAsync(sim, keeper);
        var ok = await RunAsync(app);
        Assert.Equal("HEALTHY", (string?)ok["result"]!["health"]);
        Assert.Equal("OK", (string?)ok["result"]!["data"]!["symbol.BTC"]);
        var okReport = await LatestReportAsync(app);
        var btc = Symbol(okReport, "BTC");
        Assert.Equal(0.001m, (decimal)btc["venue"]!);
        Assert.Equal(0.001m, (decimal)btc["local"]!);
        Assert.Equal(1, (int)okReport["fillsCounted"]!);

        // Live trading, then the venue reports a different size than the fills imply (1 % more: DRIFT).
        Assert.Equal(200, (await app.SendAsync(HttpMethod.Post, "/api/safety/promote", TestApp.AdminKey, """{"reason":"test"}""")).Status);
        sim.Faults.DivergePosition(Dev, "BTC", 0.00001m);
        var settling = await RunAsync(app); // seen once: maybe a fill in flight
        Assert.Equal("DEGRADED", (string?)settling["result"]!["health"]);
        Assert.Equal("SETTLING", (string?)settling["result"]!["data"]!["symbol.BTC"]);
        Assert.Equal("ARMED_LIVE", await ModeAsync(app));
        var settlingId = (string)settling["result"]!["data"]!["reportId"]!;

        var drift = await RunAsync(app); // seen twice: it counts
        Assert.Equal("UNHEALTHY", (string?)drift["result"]!["health"]);
        Assert.Contains(drift["ledger"]!.AsArray(), l => ((string?)l)!.StartsWith("raise RECONCILE_DRIFT: applied (now ARMED_SAFE", StringComparison.Ordinal));
        var driftId = (string)drift["result"]!["data"]!["reportId"]!;
        var report = await LatestReportAsync(app);
        Assert.Equal(driftId, (string?)report["id"]);
        Assert.Equal("DRIFT", (string?)report["verdict"]);
        btc = Symbol(report, "BTC");
        Assert.Equal((0.00101m, 0.001m, 0.00001m, "DRIFT", 2), ((decimal)btc["venue"]!, (decimal)btc["local"]!, (decimal)btc["drift"]!, (string)btc["verdict"]!, (int)btc["streak"]!));
        var (byIdStatus, byId) = await app.SendAsync(HttpMethod.Get, $"/api/reconciliation/{driftId}", TestApp.FunctionKey);
        Assert.Equal(200, byIdStatus);
        Assert.Equal("DRIFT", (string?)byId!["verdict"]);
        var history = await app.HistoryAsync(10);
        Assert.Contains(history, h => (string?)h!["reason"] == "RECONCILE_DRIFT" && (string?)h["to"] == "ARMED_SAFE" && (string?)h["actor"] == "ReconciliationCheck");
        var status = (await app.SendAsync(HttpMethod.Get, "/api/status", TestApp.FunctionKey)).Json!;
        Assert.Equal(driftId, (string?)status["checks"]!["items"]!["ReconciliationCheck"]!["data"]!["reportId"]);
        Assert.Contains(status["safety"]!["conditions"]!.AsArray(), c => (string?)c!["reason"] == "RECONCILE_DRIFT");

        // Bad requests name the field; an older report, an unknown one or a missing reason are refused.
        Assert.Equal(400, (await app.SendAsync(HttpMethod.Get, "/api/reconciliation/not-an-id", TestApp.FunctionKey)).Status);
        Assert.Equal(404, (await app.SendAsync(HttpMethod.Get, "/api/reconciliation/0000000000000000001-deadbeef", TestApp.FunctionKey)).Status);
        var (badStatus, bad) = await app.SendAsync(HttpMethod.Post, "/api/reconciliation/nope/accept", TestApp.AdminKey, """{"reason":"x","extra":1}""");
        Assert.Equal(400, badStatus);
        Assert.NotNull(bad!["errors"]!["id"]);
        Assert.NotNull(bad["errors"]!["extra"]);
        Assert.Equal(400, (await app.SendAsync(HttpMethod.Post, $"/api/reconciliation/{driftId}/accept", TestApp.AdminKey, "{}")).Status);
        Assert.Equal(403, (await app.SendAsync(HttpMethod.Post, $"/api/reconciliation/{driftId}/accept", TestApp.FunctionKey, """{"reason":"x"}""")).Status);
        var (olderStatus, older) = await app.SendAsync(HttpMethod.Post, $"/api/reconciliation/{settlingId}/accept", TestApp.AdminKey, """{"reason":"x"}""");
        Assert.Equal(409, olderStatus);
        Assert.Equal("NOT_LATEST", (string?)older!["code"]);

        // Accept: the venue's size is the new baseline; the next run finds no drift and the condition clears.
        using (var accept = app.Request(HttpMethod.Post, $"/api/reconciliation/{driftId}/accept", TestApp.AdminKey, """{"reason":"venue checked by hand"}"""))
        {
            accept.Headers.Add("X-Operator", "alice");
            using var response = await app.Client.SendAsync(accept);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, text);
            Assert.Equal("accepted", (string?)JsonNode.Parse(text)!["result"]);
        }
        var (_, afterAccept) = await app.SendAsync(HttpMethod.Get, "/api/reconciliation/latest", TestApp.FunctionKey);
        Assert.Equal(("accepted", "operator:alice", driftId), ((string?)afterAccept!["audit"]![0]!["action"], (string?)afterAccept["audit"]![0]!["actor"], (string?)afterAccept["audit"]![0]!["reportId"]));
        Assert.Equal(0.00101m, (decimal)afterAccept["baseline"]!["sizes"]!["BTC"]!);
        Assert.Equal("unchanged", (string?)(await app.SendAsync(HttpMethod.Post, $"/api/reconciliation/{driftId}/accept", TestApp.AdminKey, """{"reason":"again"}""")).Json!["result"]);

        var cleared = await RunAsync(app);
        Assert.Equal("HEALTHY", (string?)cleared["result"]!["health"]);
        Assert.Contains(cleared["ledger"]!.AsArray(), l => ((string?)l)!.StartsWith("clear RECONCILE_DRIFT: applied", StringComparison.Ordinal));
        var safety = (await app.SendAsync(HttpMethod.Get, "/api/status", TestApp.FunctionKey)).Json!["safety"]!;
        Assert.Equal("ARMED_SAFE", (string?)safety["mode"]); // RECONCILE_DRIFT is not self-clearing: back to live needs a promotion
        Assert.Empty(safety["conditions"]!.AsArray());

        // A position the local book does not have at all: CRITICAL, HALT.
        sim.Faults.DivergePosition(Dev, "ETH", 0.5m);
        await RunAsync(app);
        var critical = await RunAsync(app);
        Assert.Equal("CRITICAL", (string?)critical["result"]!["data"]!["symbol.ETH"]);
        Assert.Equal("OK", (string?)critical["result"]!["data"]!["symbol.BTC"]);
        Assert.Contains(critical["ledger"]!.AsArray(), l => ((string?)l)!.StartsWith("raise RECONCILE_CRITICAL: applied (now HALT", StringComparison.Ordinal));
        Assert.Equal("HALT", await ModeAsync(app));
        var eth = Symbol(await LatestReportAsync(app), "ETH");
        Assert.Equal((0.5m, 0m, "CRITICAL"), ((decimal)eth["venue"]!, (decimal)eth["local"]!, (string)eth["verdict"]!));
    }

    [Fact]
    public async Task Auto_mode_adopts_a_confirmed_drift_with_an_audit_record_and_still_raises_it_once()
    {
        await using var sim = await HyperliquidSimulator.StartAsync(new SimulatorOptions { MarketTickInterval = TimeSpan.FromMilliseconds(200) });
        await using var app = await StartAppAsync(sim, new Dictionary<string, string?> { ["Reconciliation:Mode"] = "Auto", ["Reconciliation:ConfirmRuns"] = "1" });
        var keeper = app.App.Services.GetRequiredService<StreamKeeper>();
        await WaitAsync(keeper, s => s.Connected && s.Accounts.Any(a => a.Account == Dev && a.Backfill == "done"), "keeper following the dev account");
        await RunAsync(app); // initial snapshot
        await TradeAsync(sim, "ETH", buy: false);
        await WaitForStoredFillsAsync(sim, keeper);
        Assert.Equal("HEALTHY", (string?)(await RunAsync(app))["result"]!["health"]);

        sim.Faults.DivergePosition(Dev, "ETH", -0.0001m); // -0.0101 against -0.01: 0.99 %
        var drift = await RunAsync(app);
        Assert.Equal("UNHEALTHY", (string?)drift["result"]!["health"]);
        Assert.Equal("true", (string?)drift["result"]!["data"]!["adopted"]);
        Assert.Contains(drift["ledger"]!.AsArray(), l => ((string?)l)!.StartsWith("raise RECONCILE_DRIFT", StringComparison.Ordinal));
        var (_, latest) = await app.SendAsync(HttpMethod.Get, "/api/reconciliation/latest", TestApp.FunctionKey);
        Assert.True((bool)latest!["report"]!["adopted"]!);
        Assert.Equal("DRIFT", (string?)latest["report"]!["verdict"]);
        Assert.Equal(("auto", "ReconciliationCheck"), ((string?)latest["baseline"]!["source"], (string?)latest["baseline"]!["actor"]));
        Assert.Equal(-0.0101m, (decimal)latest["baseline"]!["sizes"]!["ETH"]!);
        var audit = latest["audit"]![0]!;
        Assert.Equal(("auto", (string?)latest["report"]!["id"]), ((string?)audit["action"], (string?)audit["reportId"]));
        Assert.Empty(audit["before"]!.AsObject()); // the previous baseline: the flat initial snapshot (the short came from fills since)

        var next = await RunAsync(app);
        Assert.Equal("HEALTHY", (string?)next["result"]!["health"]);
        Assert.Contains(next["ledger"]!.AsArray(), l => ((string?)l)!.StartsWith("clear RECONCILE_DRIFT: applied", StringComparison.Ordinal));
        var history = await app.HistoryAsync(10);
        Assert.Contains(history, h => (string?)h!["reason"] == "RECONCILE_DRIFT" && (string?)h["kind"] == "raise");

        // CRITICAL is never adopted, even in Auto mode.
        sim.Faults.DivergePosition(Dev, "SOL", 1m);
        var critical = await RunAsync(app);
        Assert.Equal("CRITICAL", (string?)critical["result"]!["data"]!["verdict"]);
        Assert.Equal("false", (string?)critical["result"]!["data"]!["adopted"]);
        Assert.Equal("HALT", await ModeAsync(app));

        // The metrics as docs/observability.md names them, on a real scrape.
        using var scrape = app.Request(HttpMethod.Get, "/metrics", TestApp.FunctionKey);
        using var metrics = await app.Client.SendAsync(scrape);
        var text = await metrics.Content.ReadAsStringAsync();
        var lines = text.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("hf_reconciliation_runs_total{", StringComparison.Ordinal) && l.Contains("verdict=\"DRIFT\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("hf_reconciliation_runs_total{", StringComparison.Ordinal) && l.Contains("verdict=\"CRITICAL\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("hf_reconciliation_drift_max", StringComparison.Ordinal) && l.EndsWith(" 1", StringComparison.Ordinal)); // SOL on one side only
        Assert.Contains(lines, l => l.StartsWith("hf_reconciliation_symbols{", StringComparison.Ordinal) && l.Contains("verdict=\"CRITICAL\"", StringComparison.Ordinal) && l.EndsWith(" 1", StringComparison.Ordinal));
    }

    private async Task<TestApp> StartAppAsync(HyperliquidSimulator sim, Dictionary<string, string?> extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Hosting:RunKeeper"] = "true",
            ["Hyperliquid:RestUrl"] = sim.RestUrl.ToString(),
            ["Hyperliquid:WsUrl"] = sim.WsUrl.ToString(),
            ["Keeper:TablePrefix"] = AzuriteFixture.UniqueName("K"),
            ["Keeper:Accounts:0"] = Dev,
            ["Checks:ResultsTable"] = AzuriteFixture.UniqueName("Checks"),
            ["Reconciliation:Table"] = AzuriteFixture.UniqueName("Recon"),
        };
        foreach (var kv in extra) settings[kv.Key] = kv.Value;
        return await TestApp.StartAsync(azurite.ConnectionString, settings);
    }

    private static async Task<JsonObject> RunAsync(TestApp app)
    {
        var (status, json) = await app.SendAsync(HttpMethod.Post, "/api/checks/ReconciliationCheck/run", TestApp.AdminKey);
        Assert.True(status == 200, $"run answered {status}: {json?.ToJsonString()}");
        return json!;
    }

    private static async Task<JsonObject> LatestReportAsync(TestApp app)
    {
        var (status, json) = await app.SendAsync(HttpMethod.Get, "/api/reconciliation/latest", TestApp.FunctionKey);
        Assert.Equal(200, status);
        return json!["report"]!.AsObject();
    }

    private static JsonObject Symbol(JsonObject report, string coin) => report["symbols"]!.AsArray().Single(s => (string?)s!["coin"] == coin)!.AsObject();

    private static async Task<string> ModeAsync(TestApp app) => (string)(await app.SendAsync(HttpMethod.Get, "/api/status", TestApp.FunctionKey)).Json!["safety"]!["mode"]!;

    private static async Task WaitAsync(StreamKeeper keeper, Func<KeeperSnapshot, bool> condition, string what)
    {
        try
        {
            await keeper.WaitUntilAsync(condition, CancellationToken.None).WaitAsync(HangGuard);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Timed out waiting for {what}; keeper: {keeper.Snapshot()}");
        }
    }

    /// <summary>Waits until the keeper's durable cursor is at the venue's newest fill of the dev account (the fills are stored before the cursor moves).</summary>
    private static async Task WaitForStoredFillsAsync(HyperliquidSimulator sim, StreamKeeper keeper)
    {
        using var http = new HttpClient { BaseAddress = sim.RestUrl };
        using var content = new StringContent($"{{\"type\":\"userFills\",\"user\":\"{Dev}\"}}", System.Text.Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri("info", UriKind.Relative), content);
        var fills = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
        var newest = fills.OfType<JsonObject>().MaxBy(f => ((long)f["time"]!, (long)f["tid"]!))!;
        var key = $"{(string)newest["hash"]!}-{((long)newest["tid"]!).ToString(CultureInfo.InvariantCulture)}";
        await WaitAsync(keeper, s => s.Accounts.Any(a => a.Account == Dev && a.CursorKey == key), $"the keeper storing fill {key}");
    }

    /// <summary>An IOC order of the dev account that crosses the book: a taker fill for the dev account.</summary>
    private async Task TradeAsync(HyperliquidSimulator sim, string coin, bool buy)
    {
        var touch = (buy ? sim.Market.BestAsk(coin) : sim.Market.BestBid(coin)) ?? throw new InvalidOperationException("empty book");
        var order = new JsonObject
        {
            ["a"] = sim.Market.AssetId(coin),
            ["b"] = buy,
            ["p"] = WireFormat.FloatToWire(decimal.Round(buy ? touch * 1.01m : touch * 0.99m, 0)),
            ["s"] = WireFormat.FloatToWire(coin == "BTC" ? 0.001m : 0.01m),
            ["r"] = false,
            ["t"] = new JsonObject { ["limit"] = new JsonObject { ["tif"] = "Ioc" } },
        };
        var action = new JsonObject { ["type"] = "order", ["orders"] = new JsonArray(order), ["grouping"] = "na" };
        var nonce = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + Interlocked.Increment(ref _nonce);
        var signature = HyperliquidSigner.SignL1Action(SimulatorAccount.DevPrivateKey, action, nonce, null, true, null);
        var body = new JsonObject
        {
            ["action"] = action.DeepClone(),
            ["nonce"] = nonce,
            ["signature"] = new JsonObject { ["r"] = signature.R, ["s"] = signature.S, ["v"] = signature.V },
        };
        using var http = new HttpClient { BaseAddress = sim.RestUrl };
        using var content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri("exchange", UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(text.Contains("\"status\":\"ok\"", StringComparison.Ordinal) && text.Contains("filled", StringComparison.Ordinal), $"order not filled: {text}");
    }
}
