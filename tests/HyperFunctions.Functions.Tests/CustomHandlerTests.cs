using System.Text.Json.Nodes;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace HyperFunctions.Functions.Tests;

/// <summary>Payloads exactly as the Functions host sends them to a custom handler.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CustomHandlerTests(AzuriteFixture azurite)
{
    private static readonly Dictionary<string, string?> CustomHandler = new() { ["FUNCTIONS_CUSTOMHANDLER_PORT"] = "7071", ["Api:AdminKey"] = null, ["Api:FunctionKey"] = null };

    private static readonly FlakyQueueFunction Flaky = new() { FailuresBeforeSuccess = 1 };

    private static void AddQueueFunction(IServiceCollection services)
    {
        services.AddSingleton<IFunction>(Flaky);
        services.AddSingleton(new FunctionDefinition(FlakyQueueFunction.FunctionName, TriggerKind.Queue, "msg", QueueName: "flaky"));
    }

    [Fact]
    public async Task Timer_invocation_in_the_hosts_payload_shape_gets_outputs_logs_and_return_value()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, CustomHandler);
        const string payload = """
        {
          "Data": { "timer": { "Schedule": { "AdjustForDST": true }, "ScheduleStatus": { "Last": "2026-11-23T10:00:00+00:00", "Next": "2026-11-23T10:00:10+00:00", "LastUpdated": "2026-11-23T10:00:00+00:00" }, "IsPastDue": false } },
          "Metadata": { "sys": { "MethodName": "StorageHealthCheck", "UtcNow": "2026-11-23T10:00:10.0123456Z", "RandGuid": "0f8fad5b-d9cb-469f-a165-70867728950e" } }
        }
        """;
        var (status, json) = await app.SendAsync(HttpMethod.Post, "/StorageHealthCheck", null, payload);
        Assert.Equal(200, status);
        Assert.IsType<JsonObject>(json!["Outputs"]);
        Assert.Equal("healthy", (string?)json["ReturnValue"]);
        Assert.Equal("healthy", (string?)json["Logs"]![0]);
    }

    [Fact]
    public async Task HTTP_routes_are_served_as_forwarded_and_keys_are_left_to_the_host()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, CustomHandler);
        var (status, json) = await app.SendAsync(HttpMethod.Get, "/api/status", null);
        Assert.Equal(200, status);
        Assert.Equal("custom-handler", (string?)json!["hostingMode"]);
    }

    [Theory]
    [InlineData("not json", 400)]
    [InlineData("""{"Metadata":{}}""", 400)]
    [InlineData("""{"Data":{"other":1},"Metadata":{}}""", 400)]
    public async Task A_malformed_invocation_is_answered_non_2xx(string payload, int expected)
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, CustomHandler);
        Assert.Equal(expected, (await app.SendAsync(HttpMethod.Post, "/StorageHealthCheck", null, payload)).Status);
    }

    [Fact]
    public async Task Queue_invocation_failure_is_non_2xx_so_the_host_retries_and_success_is_200()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, CustomHandler, AddQueueFunction);
        const string payload = """
        {
          "Data": { "msg": "{\"intent\":\"abc\"}" },
          "Metadata": { "DequeueCount": 1, "ExpirationTime": "2026-11-30T10:00:00+00:00", "Id": "6a9d3d2c-1b1e-4d67-9d0a-3c7c1b6c2f10",
                        "InsertionTime": "2026-11-23T10:00:00+00:00", "NextVisibleTime": "2026-11-23T10:10:00+00:00", "PopReceipt": "AgAAAAMAAAAAAAAA",
                        "sys": { "MethodName": "FlakyQueue", "UtcNow": "2026-11-23T10:00:00Z", "RandGuid": "3b1f6f1e-0a2b-4c3d-9e8f-112233445566" } }
        }
        """;
        var first = await app.SendAsync(HttpMethod.Post, "/FlakyQueue", null, payload);
        Assert.Equal(500, first.Status);
        Assert.Contains("planned failure", (string?)first.Json!["Logs"]![0], StringComparison.Ordinal);
        var second = await app.SendAsync(HttpMethod.Post, "/FlakyQueue", null, payload);
        Assert.Equal(200, second.Status);
        Assert.Equal("ok {\"intent\":\"abc\"}", (string?)second.Json!["ReturnValue"]);
        Assert.Equal(1, Flaky.Seen.First().DequeueCount);
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
            var path = d.Name == nameof(Functions.GetMetrics) ? "/metrics" : "/api/" + d.Route;
            using var response = await app.Client.SendAsync(app.Request(method, path, TestApp.AdminKey, method == HttpMethod.Post ? "{}" : null));
            var status = (int)response.StatusCode;
            Assert.NotEqual(404, status);
            Assert.NotEqual(405, status);
        }
    }
}
