using HyperFunctions.Functions.Http;
using HyperFunctions.Storage.Ledger;
using HyperFunctions.Storage.Processes;
using HyperFunctions.Telemetry;

namespace HyperFunctions.Functions.Telemetry;

/// <summary>The function app's part of the telemetry: the shared setup plus its own metrics sources.</summary>
public static partial class FunctionAppTelemetry
{
    public const string ServiceName = "hyperfunctions-functions";

    /// <summary>Adds OpenTelemetry (shared setup) and the ledger, safety and function metrics.</summary>
    public static WebApplicationBuilder AddFunctionAppTelemetry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddHyperFunctionsTelemetry(ServiceName);
        builder.Services.AddSingleton<LedgerMetrics>();
        builder.Services.AddSingleton<SafetyLedgerGauges>();
        builder.Services.AddSingleton<ProcessRegistryGauges>();
        builder.Services.AddSingleton<FunctionMetrics>();
        builder.Services.AddHostedService<TelemetryStartup>();
        return builder;
    }

    /// <summary>Counts HTTP requests and the invocations that arrive over HTTP; call right after UseExceptionHandler.</summary>
    public static WebApplication UseFunctionAppTelemetry(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<RequestMetricsMiddleware>();
        return app;
    }

    /// <summary>Builds the observable gauges at start (they read the ledger) and says which exporters run.</summary>
    private sealed partial class TelemetryStartup(
        SafetyLedgerGauges gauges, ProcessRegistryGauges processGauges, TelemetryExporters exporters, HostingInfo hosting, ILogger<TelemetryStartup> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            GC.KeepAlive(gauges);
            GC.KeepAlive(processGauges);
            LogExporters(hosting.Name, exporters.ToString());
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Information, Message = "Telemetry ({HostingMode}): {Exporters}")]
        private partial void LogExporters(string hostingMode, string exporters);
    }
}
