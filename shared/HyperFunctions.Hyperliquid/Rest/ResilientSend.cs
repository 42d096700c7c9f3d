using System.Net;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace HyperFunctions.Hyperliquid.Rest;

/// <summary>Sends through the resilience pipeline and maps its outcomes to <see cref="HyperliquidException"/>s.</summary>
internal static class ResilientSend
{
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, string endpoint, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (RateLimiterRejectedException ex)
        {
            throw new HyperliquidRateLimitedException($"Hyperliquid {endpoint} refused locally: weight budget exhausted.", local: true, ex.RetryAfter, ex);
        }
        catch (BrokenCircuitException ex)
        {
            throw new HyperliquidUnavailableException($"Hyperliquid {endpoint}: circuit open after repeated failures.", ex);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new HyperliquidUnavailableException($"Hyperliquid {endpoint} timed out.", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new HyperliquidUnavailableException($"Hyperliquid {endpoint} unreachable: {ex.Message}", ex);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                throw new HyperliquidRateLimitedException(
                    $"Hyperliquid {endpoint} answered 429 after the allowed retries.",
                    local: false,
                    response.Headers.RetryAfter?.Delta);
            }

            if ((int)response.StatusCode >= 500)
            {
                throw new HyperliquidUnavailableException($"Hyperliquid {endpoint} answered HTTP {(int)response.StatusCode} after the allowed retries.");
            }

            throw new HyperliquidApiException(response.StatusCode, endpoint, body);
        }
    }
}
