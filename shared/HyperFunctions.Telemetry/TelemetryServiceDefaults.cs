using System.Diagnostics.Metrics;
using System.Reflection;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace HyperFunctions.Telemetry;

/// <summary>
/// The one telemetry setup every HyperFunctions process calls, in the way Aspire's service defaults do:
/// OpenTelemetry traces (ASP.NET Core, HttpClient, Azure SDK, the project's ActivitySource), metrics
/// (runtime, ASP.NET Core, HttpClient, the project's Meter) and logs through the OpenTelemetry logging
/// provider (each record carries the trace and span id). Exporters: Prometheus text always (served by
/// <see cref="CreatePrometheusScrapeHandler"/>), Azure Monitor when APPLICATIONINSIGHTS_CONNECTION_STRING
/// is set, OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set. Every exporter sends from its own background
/// batch, so a backend that is slow or gone never slows a request or a check.
/// </summary>
public static class TelemetryServiceDefaults
{
    /// <summary>
    /// Adds OpenTelemetry to the process. Reads the exporter variables from <paramref name="builder"/>'s
    /// configuration (environment variables included); a malformed value throws
    /// <see cref="HyperFunctions.Configuration.ConfigurationValidationException"/> naming the variable.
    /// </summary>
    public static TelemetryExporters AddHyperFunctionsTelemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);

        var exporters = ReadExporters(builder, serviceName);
        builder.Services.AddSingleton(exporters);

        // The Azure SDK only creates its activities (storage calls as spans) behind this switch.
        AppContext.SetSwitch(HyperFunctionsDiagnostics.AzureActivitySourceSwitch, true);

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceVersion: Version()))
            .WithMetrics(metrics => metrics
                .AddMeter(HyperFunctionsDiagnostics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                // Prometheus reserves the _count suffix for histograms and summaries (promtool lints it):
                // the three runtime gauges named *.count are exported under plural names instead.
                .AddView("dotnet.assembly.count", "dotnet.assemblies")
                .AddView("dotnet.process.cpu.count", "dotnet.process.cpus")
                .AddView("dotnet.timer.count", "dotnet.timers")
                .AddPrometheusExporter(o =>
                {
                    o.ScrapeEndpointPath = HyperFunctionsDiagnostics.MetricsPath;
                    o.ScrapeResponseCacheDurationMilliseconds = 0; // a scrape right after a promote shows it
                }))
            .WithTracing(tracing => tracing
                .AddSource(HyperFunctionsDiagnostics.ActivitySourceName)
                .AddSource(HyperFunctionsDiagnostics.AzureSdkSources)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !HyperFunctionsDiagnostics.IsNoiseRoute(context.Request.Path.Value ?? ""))
                .AddHttpClientInstrumentation(o => o.FilterHttpRequestMessage = request => !request.Options.TryGetValue(HyperFunctionsDiagnostics.UntracedRequest, out _)));

        // OpenTelemetry listens to meters by name across the whole process. A meter another host's
        // IMeterFactory created (a second app or a simulator in the same test process) is that host's
        // business: dropped here, so this host reports only its own state.
        builder.Services.ConfigureOpenTelemetryMeterProvider((services, metrics) =>
        {
            var own = services.GetRequiredService<IMeterFactory>();
            metrics.AddView(instrument => instrument.Meter.Scope is IMeterFactory factory && !ReferenceEquals(factory, own)
                ? MetricStreamConfiguration.Drop
                : null);
        });

        if (exporters.AzureMonitor)
        {
            // Live metrics (a second, always-on channel to the service) stays off: the ingestion endpoint
            // of the connection string is the only place telemetry goes.
            var connectionString = builder.Configuration[TelemetrySettings.ApplicationInsightsVariable]!;
            otel.UseAzureMonitorExporter(o =>
            {
                o.ConnectionString = connectionString;
                o.SamplingRatio = 1.0F; // everything: a control plane's traffic is small and every transition matters
                o.TracesPerSecond = null;
                o.EnableLiveMetrics = false;
            });
        }
        if (exporters.Otlp) otel.UseOtlpExporter();
        return exporters;
    }

    /// <summary>
    /// The Prometheus text exposition as a request delegate, for a route that applies its own
    /// authorization (the function app's GET /metrics is function-key protected).
    /// </summary>
    public static RequestDelegate CreatePrometheusScrapeHandler(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var branch = routes.CreateApplicationBuilder();
        branch.UseOpenTelemetryPrometheusScrapingEndpoint(meterProvider: null, predicate: _ => true, path: null, configureBranchedPipeline: null, optionsName: null);
        return branch.Build();
    }

    private static TelemetryExporters ReadExporters(IHostApplicationBuilder builder, string serviceName)
    {
        var appInsights = builder.Configuration[TelemetrySettings.ApplicationInsightsVariable];
        var otlp = builder.Configuration[TelemetrySettings.OtlpEndpointVariable];
        return new TelemetryExporters(
            serviceName,
            string.IsNullOrWhiteSpace(appInsights) ? null : TelemetrySettings.ParseConnectionString(appInsights),
            string.IsNullOrWhiteSpace(otlp) ? null : TelemetrySettings.ParseOtlpEndpoint(otlp));
    }

    private static string Version() =>
        Assembly.GetEntryAssembly()?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
}
