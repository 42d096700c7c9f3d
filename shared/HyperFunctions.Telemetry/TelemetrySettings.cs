using HyperFunctions.Configuration;

namespace HyperFunctions.Telemetry;

/// <summary>
/// Reads and checks the two standard variables that switch exporters on. A value that is set but wrong
/// is a start-up error naming the variable (exit code 2 through <see cref="ConfigurationValidationException"/>),
/// never a silently dead exporter.
/// </summary>
public static class TelemetrySettings
{
    public const string ApplicationInsightsVariable = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Where Application Insights receives telemetry when the connection string names no endpoint.</summary>
    public static readonly Uri DefaultIngestionEndpoint = new("https://dc.services.visualstudio.com/");

    /// <summary>
    /// Checks an Application Insights connection string: <c>Key=Value</c> pairs separated by <c>;</c>, an
    /// <c>InstrumentationKey</c> that is a GUID, and an <c>IngestionEndpoint</c> (if given) that is an
    /// absolute http(s) URL. Returns the ingestion endpoint the exporter will post to.
    /// </summary>
    public static Uri ParseConnectionString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var pairs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) throw Invalid(ApplicationInsightsVariable, $"'{Redact(part)}' is not Key=Value.");
            if (!pairs.TryAdd(part[..eq].Trim(), part[(eq + 1)..].Trim()))
                throw Invalid(ApplicationInsightsVariable, $"'{part[..eq].Trim()}' is given twice.");
        }
        if (!pairs.TryGetValue("InstrumentationKey", out var key) || !Guid.TryParse(key, out _))
            throw Invalid(ApplicationInsightsVariable, "needs InstrumentationKey=<GUID> (copy the whole connection string from the Application Insights resource).");
        if (!pairs.TryGetValue("IngestionEndpoint", out var endpoint)) return DefaultIngestionEndpoint;
        return Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw Invalid(ApplicationInsightsVariable, $"IngestionEndpoint '{endpoint}' is not an absolute http(s) URL.");
    }

    /// <summary>Checks an OTLP endpoint: an absolute http(s) URL (the OTLP exporter reads the variable itself).</summary>
    public static Uri ParseOtlpEndpoint(string value) =>
        Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw Invalid(OtlpEndpointVariable, $"'{value}' is not an absolute http(s) URL.");

    private static ConfigurationValidationException Invalid(string variable, string why) => new([$"{variable} {why}"]);

    /// <summary>A malformed part may still hold a key; show only its start.</summary>
    private static string Redact(string part) => part.Length <= 12 ? part : part[..12] + "…";
}
