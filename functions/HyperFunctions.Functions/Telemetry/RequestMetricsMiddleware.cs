using System.Diagnostics;
using HyperFunctions.Functions.Hosting;

namespace HyperFunctions.Functions.Telemetry;

/// <summary>
/// Counts every HTTP request by route template (bounded: "unmatched" when no route matched), method and
/// status, and the function invocations that arrive over HTTP: HTTP functions (outcome failure on 5xx)
/// and, in custom-handler mode, the host's POST /{FunctionName} for timer and queue functions (outcome
/// failure on any non-2xx, which is what the host counts as a failed invocation).
/// </summary>
internal sealed class RequestMetricsMiddleware(RequestDelegate next, FunctionMetrics metrics, FunctionCatalog catalog)
{
    /// <summary>Any other method is counted as "_OTHER" (as the OpenTelemetry HTTP conventions do), so the label stays bounded.</summary>
    private static readonly HashSet<string> KnownMethods = new(StringComparer.Ordinal) { "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS" };

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var threw = false;
        try
        {
            await next(context);
        }
        catch
        {
            threw = true; // the exception handler outside answers 500
            throw;
        }
        finally
        {
            var status = threw ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            var endpoint = context.GetEndpoint();
            var route = (endpoint as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            metrics.HttpRequest(route, KnownMethods.Contains(context.Request.Method) ? context.Request.Method : "_OTHER", status);
            if (FunctionOf(endpoint, route) is { } function)
            {
                var success = function.Trigger == TriggerKind.Http ? status < 500 : status is >= 200 and < 300;
                metrics.Invoked(function.Name, FunctionMetrics.TriggerName(function.Trigger), success, Stopwatch.GetElapsedTime(started));
            }
        }
    }

    private FunctionDefinition? FunctionOf(Endpoint? endpoint, string route)
    {
        // HTTP functions carry their function name (HyperFunctionsApp maps them .WithName(definition.Name)).
        if (endpoint?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName is { } name && catalog.Find(name) is { Trigger: TriggerKind.Http } http)
            return http;
        // Custom-handler invocations of timer and queue functions are POST /{FunctionName}.
        return route.Length > 1 && route[0] == '/' && catalog.Find(route[1..]) is { Trigger: not TriggerKind.Http } other ? other : null;
    }
}
