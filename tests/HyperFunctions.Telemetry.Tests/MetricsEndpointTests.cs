using System.Text.Json.Nodes;
using HyperFunctions.Telemetry.Tests.Support;
using HyperFunctions.TestSupport;

namespace HyperFunctions.Telemetry.Tests;

/// <summary>GET /metrics: function key, Prometheus text that promtool accepts, the project's metrics moving with the ledger.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class MetricsEndpointTests(AzuriteFixture azurite)
{
    /// <summary>Metrics the function app shows from its first scrape (docs/observability.md lists them all).</summary>
    private static readonly string[] Always =
    [
        "hf_safety_mode", "hf_safety_ledger_version", "hf_storage_usable", "hf_safety_local_hold", "hf_safety_transitions_total",
        "hf_storage_hold_failed_calls", "hf_safety_state_age_seconds", "hf_processes",
        "hf_ledger_commit_duration_seconds_bucket", "hf_ledger_commit_conflicts_total",
        "hf_function_invocations_total", "hf_function_duration_seconds_bucket", "hf_http_requests_total",
        "http_server_request_duration_seconds_bucket", "dotnet_gc_collections_total", "dotnet_assemblies", "target_info",
    ];

    [Fact]
    public async Task Metrics_need_a_key_and_pass_promtool_check_metrics()
    {
        await using var app = await TelemetryTestApp.StartAsync(azurite.ConnectionString);
        using (var anonymous = await app.Client.GetAsync(new Uri("/metrics", UriKind.Relative)))
            Assert.Equal(401, (int)anonymous.StatusCode);
        using (var header = new HttpRequestMessage(HttpMethod.Get, "/metrics"))
        {
            header.Headers.Add("x-functions-key", TelemetryTestApp.FunctionKey);
            using var response = await app.Client.SendAsync(header);
            Assert.Equal(200, (int)response.StatusCode);
            Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        }

        using (var odd = new HttpRequestMessage(new HttpMethod("BREW"), "/api/status"))
        using (await app.Client.SendAsync(odd)) { }
        using (await app.Client.GetAsync(new Uri("/no/such/route/" + Guid.NewGuid(), UriKind.Relative))) { }

        var text = await app.ScrapeAsync(); // the key as ?code=, as a scrape config passes it
        var (exit, output) = await PrometheusInstance.CheckMetricsAsync(text);
        Assert.True(exit == 0, $"promtool check metrics exited {exit}: {output}");
        var names = Exposition.SampleNames(text);
        Assert.All(Always, name => Assert.Contains(name, names));
        // Labels stay bounded: unknown methods and unmatched paths each collapse into one value.
        Assert.NotNull(Exposition.Value(text, "hf_http_requests_total", ("method", "_OTHER")));
        Assert.Equal(1, Exposition.Value(text, "hf_http_requests_total", ("route", "unmatched"), ("status", "404")));
        Assert.DoesNotContain("BREW", text, StringComparison.Ordinal);
        Assert.DoesNotContain("/no/such/route", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_promote_moves_the_mode_gauge_and_the_transition_counter()
    {
        await using var app = await TelemetryTestApp.StartAsync(azurite.ConnectionString);
        var before = await app.ScrapeAsync();
        Assert.Equal(1, Exposition.Value(before, "hf_safety_mode", ("mode", "ARMED_SAFE")));
        Assert.Equal(0, Exposition.Value(before, "hf_safety_mode", ("mode", "ARMED_LIVE")));
        Assert.Equal(0, Exposition.Value(before, "hf_safety_mode", ("mode", "HALT")));
        Assert.Equal(1, Exposition.Value(before, "hf_safety_transitions_total", ("from", "NONE"), ("to", "ARMED_SAFE"), ("reason", "BOOT")));
        Assert.Null(Exposition.Value(before, "hf_safety_transitions_total", ("to", "ARMED_LIVE")));

        var promoted = await app.PromoteAsync();

        var after = await app.ScrapeAsync();
        Assert.Equal(1, Exposition.Value(after, "hf_safety_mode", ("mode", "ARMED_LIVE")));
        Assert.Equal(0, Exposition.Value(after, "hf_safety_mode", ("mode", "ARMED_SAFE")));
        Assert.Equal(1, Exposition.Value(after, "hf_safety_transitions_total", ("from", "ARMED_SAFE"), ("to", "ARMED_LIVE"), ("reason", "MANUAL_PROMOTE"), ("kind", "promote")));
        Assert.Equal((long)promoted["version"]!, (long)Exposition.Value(after, "hf_safety_ledger_version")!.Value);
        Assert.Equal(2, Exposition.Value(after, "hf_ledger_commit_duration_seconds_count", ("outcome", "committed")));
        Assert.Equal(1, Exposition.Value(after, "hf_function_invocations_total", ("function", "PromoteSafety"), ("trigger", "http"), ("outcome", "success")));
        Assert.Equal(1, Exposition.Value(after, "hf_http_requests_total", ("route", "/api/safety/promote"), ("method", "POST"), ("status", "200")));
        Assert.Equal(1, Exposition.Value(after, "hf_storage_usable"));
        Assert.Equal(0, Exposition.Value(after, "hf_storage_hold_failed_calls"));
        Assert.Equal(1, Exposition.Value(after, "hf_processes", ("config_matches", "true"))); // this process, registered at start
        Assert.Equal(0, Exposition.Value(after, "hf_processes", ("config_matches", "false")));
        Assert.InRange(Exposition.Value(after, "hf_safety_state_age_seconds")!.Value, 0, 3600);
    }

    [Fact]
    public async Task Two_hosts_in_one_process_report_only_their_own_state()
    {
        await using var first = await TelemetryTestApp.StartAsync(azurite.ConnectionString);
        await using var second = await TelemetryTestApp.StartAsync(azurite.ConnectionString);
        await first.PromoteAsync();

        // Each host's meters come from its own IMeterFactory; a second host must not show up in the first's scrape.
        var one = await first.ScrapeAsync();
        var two = await second.ScrapeAsync();
        Assert.Equal(1, Exposition.Value(one, "hf_safety_mode", ("mode", "ARMED_LIVE")));
        Assert.Equal(1, Exposition.Value(two, "hf_safety_mode", ("mode", "ARMED_SAFE")));
        Assert.Null(Exposition.Value(two, "hf_safety_transitions_total", ("to", "ARMED_LIVE")));
    }

    [Fact]
    public async Task Under_the_Functions_host_metrics_are_at_api_metrics_and_timer_invocations_are_counted()
    {
        var customHandler = new Dictionary<string, string?> { ["FUNCTIONS_CUSTOMHANDLER_PORT"] = "7071", ["Api:AdminKey"] = null, ["Api:FunctionKey"] = null };
        await using var app = await TelemetryTestApp.StartAsync(azurite.ConnectionString, settings: customHandler);
        using (var invocation = new HttpRequestMessage(HttpMethod.Post, "/StorageHealthCheck") { Content = new StringContent("""{"Data":{"timer":{"IsPastDue":false}},"Metadata":{}}""") })
        using (var answer = await app.Client.SendAsync(invocation))
            Assert.Equal(200, (int)answer.StatusCode);
        using (var failed = new HttpRequestMessage(HttpMethod.Post, "/StorageHealthCheck") { Content = new StringContent("""{"Metadata":{}}""") })
        using (var answer = await app.Client.SendAsync(failed))
            Assert.Equal(400, (int)answer.StatusCode);

        using (var root = await app.Client.GetAsync(new Uri("/metrics", UriKind.Relative)))
            Assert.Equal(404, (int)root.StatusCode); // the host only ever forwards /api/...
        var text = await app.Client.GetStringAsync(new Uri("/api/metrics", UriKind.Relative)); // the host checked the key
        Assert.Equal(1, Exposition.Value(text, "hf_function_invocations_total", ("function", "StorageHealthCheck"), ("trigger", "timer"), ("outcome", "success")));
        Assert.Equal(1, Exposition.Value(text, "hf_function_invocations_total", ("function", "StorageHealthCheck"), ("trigger", "timer"), ("outcome", "failure")));
        Assert.Equal(1, Exposition.Value(text, "hf_safety_mode", ("mode", "ARMED_SAFE")));
    }
}
