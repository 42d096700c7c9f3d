namespace HyperFunctions.Telemetry;

/// <summary>
/// The names every part of the system emits under. Libraries that must not depend on OpenTelemetry
/// (Storage, Hyperliquid) use the same literals with System.Diagnostics only; the telemetry setup
/// listens to exactly these.
/// </summary>
public static class HyperFunctionsDiagnostics
{
    /// <summary>The project's one <see cref="System.Diagnostics.Metrics.Meter"/> name; every instrument is prefixed <c>hf.</c>.</summary>
    public const string MeterName = "HyperFunctions";

    /// <summary>The project's one <see cref="System.Diagnostics.ActivitySource"/> name.</summary>
    public const string ActivitySourceName = "HyperFunctions";

    /// <summary>Azure SDK activity sources (storage calls as spans). They need the experimental switch below.</summary>
    public const string AzureSdkSources = "Azure.*";

    /// <summary>AppContext switch that makes the Azure SDK create activities through ActivitySource.</summary>
    public const string AzureActivitySourceSwitch = "Azure.Experimental.EnableActivitySource";

    /// <summary>The scrape route the Prometheus exporter answers on in every process.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// Set on an outgoing request whose URL is itself a secret (a Slack incoming-webhook URL): the HttpClient
    /// instrumentation leaves it out of traces, so the URL never reaches an exporter.
    /// </summary>
    public static readonly System.Net.Http.HttpRequestOptionsKey<bool> UntracedRequest = new("hf.untraced");

    /// <summary>Routes kept out of traces: liveness and the scrape itself would drown the useful spans.</summary>
    public static bool IsNoiseRoute(string path) =>
        path.EndsWith("/health", StringComparison.OrdinalIgnoreCase)
        || path.EndsWith(MetricsPath, StringComparison.OrdinalIgnoreCase);
}
