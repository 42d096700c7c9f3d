using System.Net;

namespace HyperFunctions.Hyperliquid.Rest;

/// <summary>
/// Innermost handler: sees every attempt's answer. A 429 pauses the shared weight budget, cuts it once
/// per signal and feeds the episode monitor; a successful answer raises a lowered budget step by step;
/// any answer other than 429 may close an episode. The budget's cut count is read when the request is
/// sent, so answers to requests sent before a cut count for nothing.
/// </summary>
internal sealed class RateLimitObservingHandler(WeightBudgetGate gate, RateLimitMonitor monitor, TimeProvider time) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var sentUnderCuts = gate.Cuts;
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            var retryAfter = RequestTags.RetryAfter(response, time.GetUtcNow());
            var cut = gate.OnRateLimited(retryAfter, sentUnderCuts);
            monitor.RecordRateLimited(RequestTags.EndpointOf(request), RequestTags.WeightOf(request), retryAfter, cut);
        }
        else
        {
            if ((int)response.StatusCode < 500)
            {
                gate.OnAnswered(RequestTags.WeightOf(request), sentUnderCuts);
            }

            monitor.RecordAnswered();
        }

        return response;
    }
}
