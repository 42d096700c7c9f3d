using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace HyperFunctions.Functions.Tests;

/// <summary>
/// Payloads as the Functions host sends them to a custom handler: the documented shape, and the shape
/// the host really builds (values JSON-encoded twice, message properties merged into Metadata; see
/// <see cref="HostShapedPayloads"/> and docs/architecture.md, "Custom-handler payloads").
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CustomHandlerTests(AzuriteFixture azurite)
{
    private static readonly Dictionary<string, string?> CustomHandler = new() { ["FUNCTIONS_CUSTOMHANDLER_PORT"] = "7071", ["Api:AdminKey"] = null, ["Api:FunctionKey"] = null };

    private readonly FlakyQueueFunction _queue = new();
    private readonly CountingTimerFunction _timer = new();

    private void AddTestFunctions(IServiceCollection services)
    {
        services.AddSingleton<IFunction>(_queue);
        services.AddSingleton(new FunctionDefinition(FlakyQueueFunction.FunctionName, TriggerKind.Queue, "msg", QueueName: "flaky"));
        services.AddSingleton<IFunction>(_timer);
        services.AddSingleton(new FunctionDefinition(CountingTimerFunction.FunctionName, TriggerKind.Timer, "tick", Schedule: "0 */5 * * * *"));
    }

    private Task<TestApp> StartAsync() => TestApp.StartAsync(azurite.ConnectionString, CustomHandler, AddTestFunctions);

    // ---- readiness and HTTP forwarding ----

    [Fact]
    public async Task The_hosts_readiness_GET_on_the_root_is_answered_without_storage()
    {
        await using var app = await StartAsync();
        using var get = await app.Client.GetAsync(new Uri("/", UriKind.Relative));
        using var head = await app.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/"));
        Assert.Equal((200, CustomHandlerEndpoint.ReadinessText), ((int)get.StatusCode, await get.Content.ReadAsStringAsync()));
        Assert.Equal(200, (int)head.StatusCode);

        await using var selfHost = await TestApp.StartAsync(azurite.ConnectionString);
        Assert.Equal(404, (await selfHost.SendAsync(HttpMethod.Get, "/", null)).Status); // only the host probes the root
    }

    [Fact]
    public async Task HTTP_routes_are_served_as_forwarded_and_keys_are_left_to_the_host()
    {
        await using var app = await StartAsync();
        var (status, json) = await app.SendAsync(HttpMethod.Get, "/api/status", null);
        Assert.Equal(200, status);
        Assert.Equal("custom-handler", (string?)json!["hostingMode"]);

        // As forwarded: the original path, query, headers (the key included) and body, plus the host's own headers.
        var forwarded = app.Request(HttpMethod.Post, "/api/safety/halt?code=any-host-key", null, """{"message":"desk call"}""");
        forwarded.Headers.Add("X-Operator", "alice");
        forwarded.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
        forwarded.Headers.Add("X-Azure-Functions-HostVersion", "4.1036.1.0");
        forwarded.Headers.UserAgent.ParseAdd("Azure-Functions-Host/4.1036.1.0");
        using var halted = await app.Client.SendAsync(forwarded);
        Assert.Equal(200, (int)halted.StatusCode);
        Assert.Equal("operator:alice", (string?)(await app.HistoryAsync())[0]!["actor"]);
    }

    [Fact]
    public async Task A_forwarded_request_whose_body_the_host_dropped_is_a_400_naming_the_body()
    {
        // The host copies a body only when the request has a Content-Length above zero.
        await using var app = await StartAsync();
        var (status, json) = await app.SendAsync(HttpMethod.Post, "/api/safety/halt", null);
        Assert.Equal(400, status);
        Assert.NotNull(json!["errors"]!["body"]);
        Assert.Single(await app.HistoryAsync());
    }

    // ---- timers ----

    [Fact]
    public async Task Timer_in_the_documented_shape_gets_outputs_logs_and_return_value()
    {
        await using var app = await StartAsync();
        const string payload = """
        {
          "Data": { "timer": { "Schedule": { "AdjustForDST": true }, "ScheduleStatus": { "Last": "2026-11-23T10:00:00+00:00", "Next": "2026-11-23T10:00:10+00:00", "LastUpdated": "2026-11-23T10:00:00+00:00" }, "IsPastDue": false } },
          "Metadata": { "sys": { "MethodName": "StorageHealthCheck", "UtcNow": "2026-11-23T10:00:10.0123456Z", "RandGuid": "0f8fad5b-d9cb-469f-a165-70867728950e" } }
        }
        """;
        var (status, json) = await app.SendAsync(HttpMethod.Post, "/StorageHealthCheck", null, payload);
        Assert.Equal(200, status);
        Assert.IsType<JsonObject>(json!["Outputs"]);
        Assert.StartsWith("healthy: storage usable since", (string?)json["ReturnValue"], StringComparison.Ordinal);
        Assert.Equal((string?)json["ReturnValue"], (string?)json["Logs"]![0]);
    }

    [Fact]
    public async Task Timer_without_a_schedule_monitor_runs_ScheduleStatus_null_as_for_our_ten_second_schedule()
    {
        await using var app = await StartAsync();
        var (status, json) = await app.SendAsync(HttpMethod.Post, "/StorageHealthCheck", null, HostShapedPayloads.Timer("timer", isPastDue: false, scheduleStatus: null));
        Assert.Equal(200, status);
        Assert.StartsWith("healthy", (string?)json!["ReturnValue"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Timer_first_run_with_Last_at_the_minimum_date_passes_IsPastDue_through(bool pastDue)
    {
        await using var app = await StartAsync();
        var status = new JsonObject { ["Last"] = "0001-01-01T00:00:00+00:00", ["Next"] = "2026-11-23T10:05:00+00:00", ["LastUpdated"] = "0001-01-01T00:00:00+00:00" };
        var (code, _) = await app.SendAsync(HttpMethod.Post, "/" + CountingTimerFunction.FunctionName, null, HostShapedPayloads.Timer("tick", pastDue, status));
        Assert.Equal(200, code);
        Assert.Equal(pastDue, Assert.Single(_timer.Seen).IsPastDue);
    }

    [Theory]
    [InlineData("\"{\\\"Schedule\\\":{},\\\"ScheduleStatus\\\":null,\\\"IsPastDue\\\":true}\"", true)]
    [InlineData("{\"IsPastDue\":\"True\"}", true)]
    [InlineData("{\"IsPastDue\":null}", false)]
    [InlineData("\"not an object\"", false)]
    [InlineData("[1,2]", false)]
    [InlineData("{\"IsPastDue\":\"\\ud800\",\"ScheduleStatus\":{\"Last\":\"\\udc00\"}}", false)]
    public async Task Timer_info_in_other_shapes_still_runs(string info, bool pastDue)
    {
        await using var app = await StartAsync();
        var (code, _) = await app.SendAsync(HttpMethod.Post, "/" + CountingTimerFunction.FunctionName, null, "{\"Data\":{\"tick\":" + info + "},\"Metadata\":{}}");
        Assert.Equal(200, code);
        Assert.Equal(pastDue, Assert.Single(_timer.Seen).IsPastDue);
    }

    // ---- queues ----

    [Fact]
    public async Task Queue_message_exactly_as_the_host_sends_it_is_decoded_once_with_string_DequeueCount_and_quoted_Id()
    {
        await using var app = await StartAsync();
        // The shape read in the host's source: the text {"k":1} JSON-encoded inside a JSON string, DequeueCount "1",
        // Id and PopReceipt with inner quotes, dates sent once, and the message's own property k merged into Metadata.
        const string payload = """
        {"Data":{"msg":"\"{\\\"k\\\":1}\""},
         "Metadata":{"DequeueCount":"1","ExpirationTime":"2019-10-16T17:58:31+00:00","Id":"\"800ae4b3-8d4b-4fa2-9c7e-3b5d2a1f0c11\"",
                     "InsertionTime":"2019-10-09T17:58:31+00:00","NextVisibleTime":"2019-10-09T18:08:31+00:00","PopReceipt":"\"AgAAAAMAAAAAAAAA\"",
                     "k":"\"1\"","sys":{"MethodName":"FlakyQueue","UtcNow":"2019-10-09T17:58:32.0447431Z","RandGuid":"3b1f6f1e-0a2b-4c3d-9e8f-112233445566"}}}
        """;
        var (status, json) = await app.SendAsync(HttpMethod.Post, "/FlakyQueue", null, payload);
        Assert.Equal(200, status);
        Assert.Equal("ok {\"k\":1}", (string?)json!["ReturnValue"]);
        var seen = Assert.Single(_queue.Seen);
        Assert.Equal(("800ae4b3-8d4b-4fa2-9c7e-3b5d2a1f0c11", "{\"k\":1}", (long?)1), (seen.MessageId, seen.Body, seen.DequeueCount));
        Assert.Equal(new DateTimeOffset(2019, 10, 9, 17, 58, 31, TimeSpan.Zero), seen.InsertedAt);
    }

    [Fact]
    public async Task Queue_message_in_the_documented_shape_is_taken_as_is()
    {
        await using var app = await StartAsync();
        const string payload = """
        {
          "Data": { "msg": "{\"intent\":\"abc\"}" },
          "Metadata": { "DequeueCount": 2, "ExpirationTime": "2026-11-30T10:00:00+00:00", "Id": "6a9d3d2c-1b1e-4d67-9d0a-3c7c1b6c2f10",
                        "InsertionTime": "2026-11-23T10:00:00+00:00", "NextVisibleTime": "2026-11-23T10:10:00+00:00", "PopReceipt": "AgAAAAMAAAAAAAAA",
                        "sys": { "MethodName": "FlakyQueue", "UtcNow": "2026-11-23T10:00:00Z", "RandGuid": "3b1f6f1e-0a2b-4c3d-9e8f-112233445566" } }
        }
        """;
        Assert.Equal(200, (await app.SendAsync(HttpMethod.Post, "/FlakyQueue", null, payload)).Status);
        var seen = Assert.Single(_queue.Seen);
        Assert.Equal(("6a9d3d2c-1b1e-4d67-9d0a-3c7c1b6c2f10", "{\"intent\":\"abc\"}", (long?)2), (seen.MessageId, seen.Body, seen.DequeueCount));
    }

    [Theory]
    [InlineData("\"hello\"")]
    [InlineData("hello")]
    [InlineData("\"\\\"nested\\\"\"")]
    [InlineData("")]
    [InlineData("  {\"k\":1}  ")]
    [InlineData("[1,\"two\"]")]
    [InlineData("42")]
    public async Task A_message_arrives_as_its_original_text_in_both_shapes(string message)
    {
        await using var app = await StartAsync();
        var host = await app.SendAsync(HttpMethod.Post, "/FlakyQueue", null, HostShapedPayloads.Queue("msg", message, id: "host-" + Guid.NewGuid()));
        var documented = new JsonObject
        {
            ["Data"] = new JsonObject { ["msg"] = message },
            ["Metadata"] = new JsonObject { ["DequeueCount"] = 1, ["Id"] = "doc-" + Guid.NewGuid() },
        }.ToJsonString();
        var plain = await app.SendAsync(HttpMethod.Post, "/FlakyQueue", null, documented);
        Assert.Equal((200, 200), (host.Status, plain.Status));
        Assert.Equal([message, message], _queue.Seen.Select(s => s.Body));
    }

    [Fact]
    public async Task Any_message_text_survives_the_hosts_double_encoding_exactly_once()
    {
        // Property: for generated texts (JSON literals, quotes, backslashes, escapes, non-ASCII), host-shaped and
        // documented payloads both deliver the original text. Seeded, so a failure replays.
        var pieces = Gen.Elements("\"", "\\", "\\\"", "{", "}", "[", "]", ":", ",", "k", "hello", " ", "\u00e9", "\u20ac", "\U0001F600", "\\u0041", "\\n", "null", "1", "true");
        var texts = pieces.ListOf().Select(p => string.Concat(p)).Sample(150, new Rnd(20261123UL), 12);
        await using var app = await StartAsync();
        foreach (var text in texts)
        {
            var (status, _) = await app.SendAsync(HttpMethod.Post, "/FlakyQueue", null, HostShapedPayloads.Queue("msg", text, id: Guid.NewGuid().ToString()));
            Assert.True(status == 200, $"{status} for {text}");
        }
        Assert.Equal(texts, _queue.Seen.Select(s => s.Body));
    }

    [Fact]
    public async Task Metadata_a_JSON_message_overwrote_with_its_own_properties_is_reported_unknown()
    {
        await using var app = await StartAsync();
        // The message's own id and dequeueCount replace the host's values (the host compares keys ignoring case).
        const string message = """{"id":"order-7","dequeueCount":99,"insertionTime":"1999-01-01T00:00:00Z","size":1}""";
        var (status, _) = await app.SendAsync(HttpMethod.Post, "/FlakyQueue", null, HostShapedPayloads.Queue("msg", message, dequeueCount: 3));
        Assert.Equal(200, status);
        var seen = Assert.Single(_queue.Seen);
        Assert.Equal(((string?)null, message, (long?)null, (DateTimeOffset?)null), (seen.MessageId, seen.Body, seen.DequeueCount, seen.InsertedAt));
    }

    [Fact]
    public async Task Metadata_is_trusted_when_the_message_properties_do_not_collide()
    {
        await using var app = await StartAsync();
        const string message = """{"cloid":"0x01","items":[1,2],"Id":null}""";
        Assert.Equal(200, (await app.SendAsync(HttpMethod.Post, "/FlakyQueue", null, HostShapedPayloads.Queue("msg", message, dequeueCount: 4, id: "abc"))).Status);
        var seen = Assert.Single(_queue.Seen);
        Assert.Equal(("abc", (long?)4, HostShapedPayloads.Inserted), (seen.MessageId, seen.DequeueCount, seen.InsertedAt));
    }

    [Fact]
    public async Task A_message_that_looks_like_an_object_but_is_not_strict_JSON_leaves_the_metadata_unknown()
    {
        // The host's own parser is lenient (unquoted names), so it may have merged properties we cannot see.
        await using var app = await StartAsync();
        var payload = new JsonObject
        {
            ["Data"] = new JsonObject { ["msg"] = HostShapedPayloads.Twice("{id: 5}") },
            ["Metadata"] = new JsonObject { ["DequeueCount"] = "2", ["Id"] = HostShapedPayloads.Twice("5") },
        }.ToJsonString();
        Assert.Equal(200, (await app.SendAsync(HttpMethod.Post, "/FlakyQueue", null, payload)).Status);
        var seen = Assert.Single(_queue.Seen);
        Assert.Equal(("{id: 5}", (string?)null, (long?)null), (seen.Body, seen.MessageId, seen.DequeueCount));
    }

    [Fact]
    public async Task Queue_invocation_failure_is_non_2xx_so_the_host_retries_and_success_is_200()
    {
        _queue.FailuresBeforeSuccess = 1;
        await using var app = await StartAsync();
        var first = await app.SendAsync(HttpMethod.Post, "/FlakyQueue", null, HostShapedPayloads.Queue("msg", "{\"intent\":\"abc\"}", dequeueCount: 1));
        Assert.Equal(500, first.Status);
        Assert.Contains("planned failure", (string?)first.Json!["Logs"]![0], StringComparison.Ordinal);
        var second = await app.SendAsync(HttpMethod.Post, "/FlakyQueue", null, HostShapedPayloads.Queue("msg", "{\"intent\":\"abc\"}", dequeueCount: 2));
        Assert.Equal(200, second.Status);
        Assert.Equal("ok {\"intent\":\"abc\"}", (string?)second.Json!["ReturnValue"]);
        Assert.Equal([1L, 2L], _queue.Seen.Select(s => s.DequeueCount!.Value));
    }

    // ---- malformed invocations ----

    [Theory]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("""{"Metadata":{}}""")]
    [InlineData("""{"Data":null,"Metadata":{}}""")]
    [InlineData("""{"Data":"{}","Metadata":{}}""")]
    [InlineData("""{"Data":{"msg":1},"data":{"msg":2}}""")]
    [InlineData("""{"Data":{"other":"x"},"Metadata":{}}""")]
    [InlineData("""{"Data":{"msg":null},"Metadata":{}}""")]
    [InlineData("""{"Data":{"msg":"\ud800"},"Metadata":{"DequeueCount":1}}""")]
    [InlineData("""{"Data":{"msg":"x","msg":"y"},"Metadata":{}}""")]
    public async Task A_malformed_invocation_is_a_400_failed_invocation(string payload)
    {
        await using var app = await StartAsync();
        var (status, json) = await app.SendAsync(HttpMethod.Post, "/FlakyQueue", null, payload);
        Assert.Equal(400, status);
        Assert.False(string.IsNullOrEmpty((string?)json!["Logs"]![0]));
        Assert.Empty(_queue.Seen);
    }

    [Fact]
    public async Task Every_function_json_has_an_implementation_and_every_http_route_is_served()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        var catalog = app.App.Services.GetRequiredService<FunctionCatalog>();
        Assert.Contains(catalog.Definitions, d => d.Name == "StorageHealthCheck" && d.Trigger == TriggerKind.Timer);
        foreach (var d in catalog.Definitions.Where(d => d.Trigger == TriggerKind.Http))
        {
            var method = new HttpMethod(d.Methods![0]);
            // Self-host serves the Prometheus route bare, as scrapers expect; the Functions host prefixes it (docs/observability.md).
            // Route parameters get a value that exists, so a 404 can only mean the route is not served.
            var path = d.Name == nameof(Functions.GetMetrics) ? "/metrics" : "/api/" + d.Route!.Replace("{name}", "StorageHealthCheck", StringComparison.Ordinal);
            using var response = await app.Client.SendAsync(app.Request(method, path, TestApp.AdminKey, method == HttpMethod.Post ? "{}" : null));
            var status = (int)response.StatusCode;
            Assert.NotEqual(404, status);
            Assert.NotEqual(405, status);
        }
    }
}
