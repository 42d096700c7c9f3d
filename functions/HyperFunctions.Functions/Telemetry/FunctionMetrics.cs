using System.Diagnostics;
using System.Diagnostics.Metrics;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Telemetry;

namespace HyperFunctions.Functions.Telemetry;

/// <summary>
/// Function invocations and HTTP requests on the project's Meter. Self-host timer and queue runs go
/// through <see cref="InvokeAsync"/> (a span and the invocation metrics); HTTP functions and the
/// custom-handler invocations (the Functions host POSTs /{FunctionName}) are counted by
/// <see cref="RequestMetricsMiddleware"/>, so each invocation is counted exactly once in both modes.
/// </summary>
public sealed class FunctionMetrics
{
    /// <summary>The project's ActivitySource (the same name the ledger's commit span uses).</summary>
    public static readonly ActivitySource Source = new(HyperFunctionsDiagnostics.ActivitySourceName);

    private readonly Counter<long> _invocations;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _httpRequests;

    public FunctionMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(HyperFunctionsDiagnostics.MeterName);
        _invocations = meter.CreateCounter<long>("hf.function.invocations", "{invocation}",
            "Function invocations by function, trigger (http, timer, queue) and outcome (success, failure).");
        _duration = meter.CreateHistogram("hf.function.duration", "s",
            "Duration of a function invocation by function, trigger and outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Storage.Ledger.LedgerMetrics.SecondsBuckets });
        _httpRequests = meter.CreateCounter<long>("hf.http.requests", "{request}",
            "HTTP requests this app answered, by route template, method and status code.");
    }

    /// <summary>
    /// Runs one self-host timer or queue invocation in a "function {Name}" span (a root span: nothing
    /// called it) and records its outcome; a throw is a failure and is rethrown.
    /// </summary>
    public async Task<string> InvokeAsync(FunctionDefinition definition, Func<Task<string>> run)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(run);
        var trigger = TriggerName(definition.Trigger);
        using var activity = Source.StartActivity($"function {definition.Name}", Activity.Current is null ? ActivityKind.Server : ActivityKind.Internal);
        activity?.SetTag("faas.name", definition.Name);
        activity?.SetTag("faas.trigger", trigger == "queue" ? "pubsub" : trigger);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var summary = await run();
            Invoked(definition.Name, trigger, success: true, Stopwatch.GetElapsedTime(started));
            return summary;
        }
        catch (Exception ex)
        {
            Invoked(definition.Name, trigger, success: false, Stopwatch.GetElapsedTime(started));
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
    }

    internal void Invoked(string function, string trigger, bool success, TimeSpan duration)
    {
        var tags = new TagList
        {
            { "function", function },
            { "trigger", trigger },
            { "outcome", success ? "success" : "failure" },
        };
        _invocations.Add(1, tags);
        _duration.Record(duration.TotalSeconds, tags);
    }

    internal void HttpRequest(string route, string method, int status) =>
        _httpRequests.Add(1, new TagList { { "route", route }, { "method", method }, { "status", status } });

    internal static string TriggerName(TriggerKind trigger) => trigger switch
    {
        TriggerKind.Http => "http",
        TriggerKind.Timer => "timer",
        TriggerKind.Queue => "queue",
        _ => "other",
    };
}
