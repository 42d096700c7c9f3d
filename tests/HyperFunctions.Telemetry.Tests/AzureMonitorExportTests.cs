using System.Diagnostics;
using System.Text.Json.Nodes;
using HyperFunctions.Configuration;
using HyperFunctions.Functions;
using HyperFunctions.Telemetry.Tests.Support;
using HyperFunctions.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace HyperFunctions.Telemetry.Tests;

/// <summary>
/// Application Insights: with APPLICATIONINSIGHTS_CONNECTION_STRING pointing at a local stand-in, traces
/// and metrics arrive there in the Azure Monitor ingestion format, and the trace of a promote runs from
/// the HTTP request to the ledger commit span; without it, no Azure Monitor exporter exists.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class AzureMonitorExportTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private static bool FromAzureMonitor(Type? type) =>
        type is not null && (type.Assembly.GetName().Name!.StartsWith("Azure.Monitor.OpenTelemetry", StringComparison.Ordinal) || type.GenericTypeArguments.Any(FromAzureMonitor));

    private static bool IsAzureMonitor(ServiceDescriptor d) =>
        FromAzureMonitor(d.ServiceType)
        || FromAzureMonitor(d.IsKeyedService ? d.KeyedImplementationType : d.ImplementationType)
        || FromAzureMonitor((d.IsKeyedService ? d.KeyedImplementationInstance : d.ImplementationInstance)?.GetType())
        || FromAzureMonitor((d.IsKeyedService ? d.KeyedImplementationFactory?.Method : d.ImplementationFactory?.Method)?.DeclaringType);

    private static string Property(JsonObject item, string name) => (string?)IngestionStandIn.BaseData(item)["properties"]?[name] ?? "";

    private static string OperationId(JsonObject item) => (string?)item["tags"]?["ai.operation.id"] ?? "";

    [Fact]
    public async Task Traces_and_metrics_arrive_at_the_ingestion_endpoint_and_a_promote_traces_to_its_commit()
    {
        await using var ingestion = await IngestionStandIn.StartAsync();
        await using var app = await TelemetryTestApp.StartAsync(azurite.ConnectionString,
            settings: new Dictionary<string, string?> { ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = ingestion.ConnectionString });
        var exporters = app.App.Services.GetRequiredService<TelemetryExporters>();
        Assert.True(exporters.AzureMonitor);
        Assert.Contains(app.Services, IsAzureMonitor);

        await app.Client.GetAsync(new Uri("/api/health", UriKind.Relative));
        await app.ScrapeAsync();
        var promoted = await app.PromoteAsync();
        var version = ((long)promoted["version"]!).ToString(System.Globalization.CultureInfo.InvariantCulture);
        app.App.Services.GetRequiredService<TracerProvider>().ForceFlush();
        app.App.Services.GetRequiredService<MeterProvider>().ForceFlush();

        static bool IsPromoteRequest(JsonObject i) => IngestionStandIn.BaseType(i) == "RequestData" && ((string?)IngestionStandIn.BaseData(i)["name"])?.Contains("/api/safety/promote", StringComparison.Ordinal) == true;
        bool IsPromoteCommit(JsonObject i) => IngestionStandIn.BaseType(i) == "RemoteDependencyData" && (string?)IngestionStandIn.BaseData(i)["name"] == "safety.ledger.commit" && Property(i, "hf.safety.version") == version;
        static bool IsTransitionMetric(JsonObject i) => IngestionStandIn.BaseType(i) == "MetricData" && IngestionStandIn.BaseData(i)["metrics"]!.AsArray().Any(m => (string?)m!["name"] == "hf.safety.transitions");
        await ingestion.WaitUntilAsync(items => items.Any(IsPromoteRequest) && items.Any(IsPromoteCommit) && items.Any(IsTransitionMetric), Guard,
            "The promote's request, its ledger commit span and the transition metric did not arrive");

        var items = ingestion.Items;
        Assert.All(ingestion.Paths, path => Assert.EndsWith("/v2.1/track", path, StringComparison.Ordinal));
        Assert.All(items, i => Assert.Equal("00000000-0000-0000-0000-000000000000", (string?)i["iKey"]));
        Assert.All(items.Where(i => IngestionStandIn.BaseType(i) == "RequestData"), i => Assert.StartsWith("/api/", new Uri((string)IngestionStandIn.BaseData(i)["url"]!).AbsolutePath, StringComparison.Ordinal));
        var request = items.Single(IsPromoteRequest);
        var commit = items.Single(IsPromoteCommit);
        Assert.Equal("ARMED_SAFE", Property(commit, "hf.safety.from"));
        Assert.Equal("ARMED_LIVE", Property(commit, "hf.safety.to"));
        Assert.Equal("MANUAL_PROMOTE", Property(commit, "hf.safety.reason"));
        Assert.Equal("committed", Property(commit, "hf.ledger.outcome"));
        Assert.Equal(OperationId(request), OperationId(commit)); // one trace, from the HTTP request to the commit
        Assert.NotEqual("", OperationId(request));
        // The storage calls of that trace are there too (Azure SDK activity sources).
        Assert.Contains(items, i => IngestionStandIn.BaseType(i) == "RemoteDependencyData" && OperationId(i) == OperationId(request) && i != commit);
        // Liveness and scrapes stay out of traces.
        Assert.DoesNotContain(items, i => IngestionStandIn.BaseType(i) == "RequestData" && ((string?)IngestionStandIn.BaseData(i)["url"] ?? "") is var url
            && (url.Contains("/api/health", StringComparison.Ordinal) || url.Contains("/metrics", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_backend_that_never_answers_slows_no_request_and_no_check()
    {
        await using var ingestion = await IngestionStandIn.StartHangingAsync();
        await using var app = await TelemetryTestApp.StartAsync(azurite.ConnectionString,
            settings: new Dictionary<string, string?> { ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = ingestion.ConnectionString });
        await app.PromoteAsync();
        // Export runs on the exporter's own thread: make it send now, and keep it stuck on the silent backend.
        var flush = Task.Run(() => app.App.Services.GetRequiredService<TracerProvider>().ForceFlush());
        await ingestion.FirstRequestHeld.WaitAsync(Guard);

        // While the export hangs, the API answers and a timer check runs through the invocation wrapper
        // the self-host scheduler uses.
        using var status = new HttpRequestMessage(HttpMethod.Get, "/api/status");
        status.Headers.Add("x-functions-key", TelemetryTestApp.FunctionKey);
        using (var response = await app.Client.SendAsync(status).WaitAsync(Guard))
            Assert.Equal(200, (int)response.StatusCode);
        var check = app.App.Services.GetRequiredService<HyperFunctions.Functions.Hosting.FunctionCatalog>().Get<HyperFunctions.Functions.Hosting.ITimerFunction>("StorageHealthCheck");
        var definition = new HyperFunctions.Functions.Hosting.FunctionDefinition(check.Name, HyperFunctions.Functions.Hosting.TriggerKind.Timer, "timer");
        var summary = await app.App.Services.GetRequiredService<HyperFunctions.Functions.Telemetry.FunctionMetrics>()
            .InvokeAsync(definition, () => check.RunAsync(new HyperFunctions.Functions.Hosting.TimerInvocation(TimeProvider.System.GetUtcNow(), false), CancellationToken.None))
            .WaitAsync(Guard);
        Assert.StartsWith("healthy", summary, StringComparison.Ordinal);
        var again = await app.PromoteAsync().WaitAsync(Guard);
        Assert.Equal("unchanged", (string?)again["result"]);
        Assert.False(flush.IsCompleted); // the export is still waiting on the backend all along

        ingestion.Release();
        await flush.WaitAsync(Guard);
        Assert.Equal(1, Exposition.Value(await app.ScrapeAsync(), "hf_function_invocations_total", ("function", "StorageHealthCheck"), ("trigger", "timer"), ("outcome", "success")));
    }

    [Fact]
    public async Task With_an_OTLP_endpoint_the_OTLP_exporter_is_on()
    {
        await using var app = await TelemetryTestApp.StartAsync(azurite.ConnectionString,
            settings: new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:4317" });
        var exporters = app.App.Services.GetRequiredService<TelemetryExporters>();
        Assert.True(exporters.Otlp);
        Assert.False(exporters.AzureMonitor);
        Assert.Contains(app.Services, d => d.ServiceType.Assembly.GetName().Name == "OpenTelemetry.Exporter.OpenTelemetryProtocol"
            || (d.IsKeyedService ? d.KeyedImplementationType : d.ImplementationType)?.Assembly.GetName().Name == "OpenTelemetry.Exporter.OpenTelemetryProtocol");
    }

    [Fact]
    public async Task Without_the_connection_string_no_Azure_Monitor_exporter_exists()
    {
        await using var app = await TelemetryTestApp.StartAsync(azurite.ConnectionString,
            settings: new Dictionary<string, string?> { ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = null, ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null });
        var exporters = app.App.Services.GetRequiredService<TelemetryExporters>();
        Assert.False(exporters.AzureMonitor);
        Assert.False(exporters.Otlp);
        Assert.DoesNotContain(app.Services, IsAzureMonitor);
        await app.PromoteAsync(); // the app works the same
    }

    [Theory]
    [InlineData("APPLICATIONINSIGHTS_CONNECTION_STRING", "not a connection string")]
    [InlineData("APPLICATIONINSIGHTS_CONNECTION_STRING", "InstrumentationKey=not-a-guid;IngestionEndpoint=https://example.invalid/")]
    [InlineData("APPLICATIONINSIGHTS_CONNECTION_STRING", "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=ftp://127.0.0.1/")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "127.0.0.1:4317")]
    public async Task A_malformed_exporter_variable_is_a_start_up_error_naming_it(string variable, string value)
    {
        var error = await Assert.ThrowsAsync<ConfigurationValidationException>(() => TelemetryTestApp.StartAsync(azurite.ConnectionString,
            settings: new Dictionary<string, string?> { [variable] = value }));
        Assert.StartsWith(variable + " ", Assert.Single(error.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_executable_exits_2_on_a_malformed_connection_string()
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "HyperFunctions.Functions"))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.Environment.Remove("FUNCTIONS_CUSTOMHANDLER_PORT");
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["Storage__ConnectionString"] = azurite.ConnectionString;
        start.Environment["Api__AdminKey"] = TelemetryTestApp.AdminKey;
        start.Environment["Api__FunctionKey"] = TelemetryTestApp.FunctionKey;
        start.Environment["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "InstrumentationKey=oops";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(guard.Token);
        Assert.Equal(HyperFunctionsApp.ConfigurationErrorExitCode, process.ExitCode);
        Assert.Contains("APPLICATIONINSIGHTS_CONNECTION_STRING needs InstrumentationKey=<GUID>", await stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("oops", await stderr, StringComparison.Ordinal);
    }
}
