using System.Net;

namespace HyperFunctions.Hyperliquid.Rest;

/// <summary>
/// Innermost handler: sees every attempt's answer. A 429 pauses and lowers the shared weight budget and
/// feeds the episode monitor; any other answer may close an episode.
/// </summary>
internal sealed class RateLimitObservingHandler(WeightBudgetGate gate, RateLimitMonitor monitor, TimeProvider time) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            var retryAfter = RequestTags.RetryAfter(response, time.GetUtcNow());
            gate.OnRateLimited(retryAfter);
            monitor.RecordRateLimited(RequestTags.EndpointOf(request), RequestTags.WeightOf(request), retryAfter);
        }
        else
        {
            monitor.RecordAnswered();
        }

        return response;
    }
}
