namespace HyperFunctions.Telemetry;

/// <summary>
/// Which exporters this process runs, as chosen by configuration at start. Prometheus is always on;
/// Azure Monitor only with APPLICATIONINSIGHTS_CONNECTION_STRING, OTLP only with OTEL_EXPORTER_OTLP_ENDPOINT.
/// </summary>
/// <param name="ServiceName">The OpenTelemetry <c>service.name</c> of this process.</param>
/// <param name="AzureMonitorIngestion">The Application Insights ingestion endpoint, or null when Azure Monitor export is off.</param>
/// <param name="OtlpEndpoint">The OTLP endpoint, or null when OTLP export is off.</param>
public sealed record TelemetryExporters(string ServiceName, Uri? AzureMonitorIngestion, Uri? OtlpEndpoint)
{
    /// <summary>The Prometheus scrape endpoint is always served.</summary>
    public bool Prometheus => true;

    public bool AzureMonitor => AzureMonitorIngestion is not null;

    public bool Otlp => OtlpEndpoint is not null;

    public override string ToString() =>
        $"prometheus {HyperFunctionsDiagnostics.MetricsPath}; azure monitor {(AzureMonitor ? AzureMonitorIngestion!.Authority : "off")}; otlp {(Otlp ? OtlpEndpoint!.Authority : "off")}";
}
