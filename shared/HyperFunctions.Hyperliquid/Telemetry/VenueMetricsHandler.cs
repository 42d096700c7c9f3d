using System.Diagnostics;
using System.Globalization;
using HyperFunctions.Hyperliquid.Rest;

namespace HyperFunctions.Hyperliquid.Telemetry;

/// <summary>
/// Innermost handler of both venue clients: counts every attempt that goes on the wire by request kind
/// and status, with its duration. The status is the HTTP code, "timeout" when the attempt timed out and
/// "error" when no answer came (connection refused, reset). Kinds: <c>info:&lt;InfoRequestKind&gt;</c>
/// (e.g. info:L2Book) and <c>exchange:&lt;action type&gt;</c> (e.g. exchange:order).
/// </summary>
internal sealed class VenueMetricsHandler(HyperliquidMetrics metrics) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var kind = Bounded(RequestTags.EndpointOf(request));
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

    /// <summary>
    /// Info kinds come from an enum; an exchange kind carries the signed action's type, which the caller
    /// wrote: anything that is not a short plain word becomes "exchange:other" so labels stay bounded.
    /// </summary>
    internal static string Bounded(string kind)
    {
        if (!kind.StartsWith("exchange:", StringComparison.Ordinal)) return kind;
        var action = kind.AsSpan("exchange:".Length);
        return action.Length is > 0 and <= 32 && !action.ContainsAnyExcept(PlainWord) ? kind : "exchange:other";
    }

    private static readonly System.Buffers.SearchValues<char> PlainWord =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
}
