using System.Diagnostics;
using System.Globalization;
using HyperFunctions.Hyperliquid.Rest;

namespace HyperFunctions.Hyperliquid.Telemetry;

/// <summary>
/// Innermost handler of both venue clients: counts every attempt that goes on the wire by request kind
/// and status, with its duration. The status is the HTTP code, "timeout" when the attempt timed out and
/// "error" when no answer came (connection refused, reset).
/// </summary>
internal sealed class VenueMetricsHandler(HyperliquidMetrics metrics) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var kind = RequestTags.EndpointOf(request);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            metrics.RequestCompleted(kind, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), Stopwatch.GetElapsedTime(started));
            return response;
        }
        catch (OperationCanceledException)
        {
            metrics.RequestCompleted(kind, "timeout", Stopwatch.GetElapsedTime(started));
            throw;
        }
        catch (HttpRequestException)
        {
            metrics.RequestCompleted(kind, "error", Stopwatch.GetElapsedTime(started));
            throw;
        }
    }
}
