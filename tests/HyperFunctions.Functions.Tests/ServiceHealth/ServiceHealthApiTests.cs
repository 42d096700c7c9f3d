using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using HyperFunctions.Configuration;
using HyperFunctions.Domain.ServiceHealth;
using HyperFunctions.Functions.ServiceHealth;
using HyperFunctions.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HyperFunctions.Functions.Tests.ServiceHealth;

/// <summary>
/// The function app with its own probes (and none of the shipped ones) on real Azurite: GET /api/health/checks,
/// the status section, the ServiceHealthCheck verdict, the table probe, and bad configuration refused at start.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ServiceHealthApiTests(AzuriteFixture azurite)
{
    /// <summary>The app built from exactly these settings: the settings file's probes are left out (its sources are cleared).</summary>
    private Task<WebApplication> BuildAsync(IDictionary<string, string?> probes)
    {
        var values = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:LedgerTable"] = AzuriteFixture.UniqueName("Ledger"),
            ["Storage:LeaseContainer"] = "leases-" + Guid.NewGuid().ToString("N")[..8],
            ["Checks:ResultsTable"] = AzuriteFixture.UniqueName("Checks"),
            ["Api:AdminKey"] = TestApp.AdminKey,
            ["Api:FunctionKey"] = TestApp.FunctionKey,
            ["Hosting:RunTimers"] = "false",
            ["Hosting:RunQueues"] = "false",
            ["Hosting:RunKeeper"] = "false",
            ["Hyperliquid:Network"] = "Simulator",
            ["Hyperliquid:RestUrl"] = "http://127.0.0.1:9",
            ["Hyperliquid:WsUrl"] = "ws://127.0.0.1:9/ws",
        };
        foreach (var kv in probes) values[kv.Key] = kv.Value;
        return HyperFunctionsApp.BuildAsync([], builder =>
        {
            builder.Configuration.Sources.Clear();
            builder.Configuration.AddInMemoryCollection(values);
            builder.WebHost.UseTestServer();
        });
    }

    private static Dictionary<string, string?> Probe(int index, params (string Key, string Value)[] fields)
    {
        var d = new Dictionary<string, string?>();
        foreach (var (key, value) in fields) d[$"ServiceHealth:Checks:{index}:{key}"] = value;
        return d;
    }

    private static Dictionary<string, string?> Merge(params Dictionary<string, string?>[] parts) =>
        parts.SelectMany(p => p).ToDictionary(kv => kv.Key, kv => kv.Value);

    private static async Task<(HttpStatusCode Status, JsonObject? Json)> GetAsync(HttpClient client, string url, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (key is not null) request.Headers.Add("x-functions-key", key);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 && text.TrimStart().StartsWith('{') ? JsonNode.Parse(text) as JsonObject : null);
    }

    [Fact]
    public async Task Health_checks_route_shows_every_probe_answers_503_while_a_critical_one_is_unhealthy_and_needs_a_key()
    {
        await using var target = await HttpTarget.StartAsync();
        var table = AzuriteFixture.UniqueName("Probe");
        await new TableServiceClient(azurite.ConnectionString).CreateTableAsync(table);
        target.Answer(500, "broken");
        await using var app = await BuildAsync(Merge(
            Probe(0, ("Name", "api"), ("Type", "http"), ("Url", new Uri(target.BaseUrl, "health?code=SECRET").ToString()), ("FailureThreshold", "1"),
                ("Critical", "true"), ("IntervalSeconds", "3600"), ("Site", "primary")),
            Probe(1, ("Name", "storage"), ("Type", "table"), ("Table", table), ("IntervalSeconds", "3600")),
            Probe(2, ("Name", "missing-table"), ("Type", "table"), ("Table", AzuriteFixture.UniqueName("Nope")), ("FailureThreshold", "1"), ("IntervalSeconds", "3600")),
            Probe(3, ("Name", "ledger"), ("Type", "table"), ("IntervalSeconds", "3600"))));
        await app.StartAsync();
        var client = app.GetTestClient();
        var monitor = app.Services.GetRequiredService<ServiceHealthMonitor>();
        await ProbeKit.WaitUntilAsync(monitor, s => s.All(p => p.LastCheckedAt is not null));

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(client, "/api/health/checks", null)).Status);
        var (status, json) = await GetAsync(client, "/api/health/checks", TestApp.FunctionKey);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.False(json!["healthy"]!.GetValue<bool>());
        Assert.Equal("UNHEALTHY", json["status"]!.GetValue<string>());
        Assert.Equal(2, json["healthyCount"]!.GetValue<int>()); // storage and the ledger table (the app created it at start)
        Assert.Equal(4, json["total"]!.GetValue<int>());
        Assert.Equal(["api"], json["unhealthyCritical"]!.AsArray().Select(n => n!.GetValue<string>()));
        var checks = json["checks"]!.AsArray().Select(n => n!.AsObject()).ToDictionary(o => o["name"]!.GetValue<string>());
        var api = checks["api"];
        Assert.Equal(("http", true, "primary", "UNHEALTHY", false, 1), (api["type"]!.GetValue<string>(), api["critical"]!.GetValue<bool>(), api["site"]!.GetValue<string>(),
            api["state"]!.GetValue<string>(), api["healthy"]!.GetValue<bool>(), api["consecutiveFailures"]!.GetValue<int>()));
        Assert.Equal("HTTP 500 (expected 200)", api["lastError"]!.GetValue<string>());
        Assert.Null(api["lastSuccess"]);
        Assert.NotNull(api["lastDurationMs"]);
        Assert.NotNull(api["lastCheckedAt"]);
        Assert.DoesNotContain("SECRET", json.ToJsonString(), StringComparison.Ordinal);
        Assert.True(checks["storage"]["healthy"]!.GetValue<bool>());
        Assert.NotNull(checks["storage"]["lastSuccess"]);
        Assert.Contains("TableNotFound", checks["missing-table"]["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(checks["ledger"]["healthy"]!.GetValue<bool>());

        // The status page shows the same under checks.services, from memory.
        var (_, statusJson) = await GetAsync(client, "/api/status", TestApp.FunctionKey);
        var services = statusJson!["checks"]!["services"]!;
        Assert.Equal("UNHEALTHY", services["status"]!.GetValue<string>());
        Assert.Equal(4, services["checks"]!.AsArray().Count);

        // The timer check's verdict: unhealthy, one level-2 notice per unhealthy probe, no ledger change.
        using var run = new HttpRequestMessage(HttpMethod.Post, "/api/checks/ServiceHealthCheck/run");
        run.Headers.Add("x-functions-key", TestApp.AdminKey);
        using var runResponse = await client.SendAsync(run);
        Assert.Equal(HttpStatusCode.OK, runResponse.StatusCode);
        var result = JsonNode.Parse(await runResponse.Content.ReadAsStringAsync())!;
        Assert.Equal("UNHEALTHY", result["result"]!["health"]!.GetValue<string>());
        Assert.Empty(result["ledger"]!.AsArray());
        Assert.Empty(result["result"]!["conditions"]!.AsArray());
        var notices = result["result"]!["notices"]!.AsArray().Select(n => (n!["key"]!.GetValue<string>(), n["level"]!.GetValue<int>())).Order().ToList();
        Assert.Equal([("probe:api", 2), ("probe:missing-table", 2)], notices);

        // Metrics: the gauge per probe with its critical flag, and the failures.
        var metrics = await client.GetStringAsync("/metrics?code=" + TestApp.FunctionKey);
        Assert.Contains("hf_service_health{", metrics, StringComparison.Ordinal);
        Assert.Contains(metrics.Split('\n'), l => l.StartsWith("hf_service_health{", StringComparison.Ordinal) && l.Contains("probe=\"api\"", StringComparison.Ordinal)
            && l.Contains("critical=\"true\"", StringComparison.Ordinal) && l.TrimEnd().EndsWith(" 0", StringComparison.Ordinal));
        Assert.Contains(metrics.Split('\n'), l => l.StartsWith("hf_service_probe_failures_total{", StringComparison.Ordinal) && l.Contains("probe=\"api\"", StringComparison.Ordinal));
        Assert.Contains("hf_service_probe_duration_seconds_bucket{", metrics, StringComparison.Ordinal);

        // Healthy again after one success: 200.
        target.Answer(200, "ok");
        await monitor.RunOnceAsync(monitor.Probes.Single(p => p.Spec.Name == "api"), CancellationToken.None);
        var (after, afterJson) = await GetAsync(client, "/api/health/checks", TestApp.FunctionKey);
        Assert.Equal(HttpStatusCode.OK, after);
        Assert.Equal("DEGRADED", afterJson!["status"]!.GetValue<string>()); // missing-table is not critical
        Assert.True(afterJson["healthy"]!.GetValue<bool>());
        await app.StopAsync();
    }

    [Fact]
    public async Task Without_probes_service_health_is_healthy_with_nothing_to_show()
    {
        await using var app = await BuildAsync(new Dictionary<string, string?>());
        await app.StartAsync();
        var (status, json) = await GetAsync(app.GetTestClient(), "/api/health/checks", TestApp.FunctionKey);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("HEALTHY", 0, 0), (json!["status"]!.GetValue<string>(), json["healthyCount"]!.GetValue<int>(), json["total"]!.GetValue<int>()));
        await app.StopAsync();
    }

    [Theory]
    [InlineData("Type", "ftp", "ServiceHealth:Checks:0:Type 'ftp' is not a probe type")]
    [InlineData("Url", "not a url", "ServiceHealth:Checks:0:Url 'not a url' is not an absolute http(s) URL")]
    [InlineData("FailureThreshold", "-1", "ServiceHealth.Checks[0].FailureThreshold")]
    public async Task A_misconfigured_probe_fails_the_build_naming_the_setting(string key, string value, string message)
    {
        var probe = Probe(0, ("Name", "bad"), ("Type", "http"), ("Url", "http://127.0.0.1:1/health"));
        probe[$"ServiceHealth:Checks:0:{key}"] = value;
        var ex = await Assert.ThrowsAsync<ConfigurationValidationException>(() => BuildAsync(probe));
        Assert.True(ex.Errors.Any(e => e.Contains(message, StringComparison.Ordinal)), string.Join(Environment.NewLine, ex.Errors));
    }

    [Fact]
    public async Task The_real_executable_exits_2_naming_a_bad_probe_override()
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "HyperFunctions.Functions"))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var inherited in new[] { "FUNCTIONS_CUSTOMHANDLER_PORT", "HF_SETTINGS_FILE", "Storage__ConnectionString", "AzureWebJobsStorage", "Api__AdminKey", "Api__FunctionKey", "Deployment__Mode" })
            start.Environment.Remove(inherited);
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["Api__AdminKey"] = "admin-key-0123456789abcdef";
        start.Environment["Api__FunctionKey"] = "function-key-0123456789abcdef";
        start.Environment["ServiceHealth__Checks__1__Type"] = "udp"; // the shipped settings file's second probe
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(guard.Token);
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("ServiceHealth:Checks:1:Type 'udp' is not a probe type", await stderr, StringComparison.Ordinal);
    }
}
