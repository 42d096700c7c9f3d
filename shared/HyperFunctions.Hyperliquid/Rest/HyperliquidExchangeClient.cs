using System.Net;
using System.Net.Mime;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HyperFunctions.Hyperliquid.Policies;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace HyperFunctions.Hyperliquid.Rest;

/// <summary>See <see cref="IHyperliquidExchangeClient"/>. Never logs the body (it carries a signature).</summary>
public sealed partial class HyperliquidExchangeClient(HttpClient http, ILogger<HyperliquidExchangeClient> logger) : IHyperliquidExchangeClient
{
    /// <inheritdoc />
    public async Task<ExchangeResult> PostAsync(JsonObject signedBody, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signedBody);
        var action = signedBody["action"] as JsonObject
            ?? throw new ArgumentException("The signed body needs an \"action\" object.", nameof(signedBody));
        var actionType = action["type"]?.GetValue<string>() ?? "unknown";
        var endpoint = "exchange:" + actionType;

        using var request = new HttpRequestMessage(HttpMethod.Post, "exchange")
        {
            Content = new StringContent(signedBody.ToJsonString(), Encoding.UTF8, MediaTypeNames.Application.Json),
        };
        request.Options.Set(RequestTags.Weight, RequestWeights.Exchange(BatchLength(action)));
        request.Options.Set(RequestTags.Endpoint, endpoint);

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (RateLimiterRejectedException ex)
        {
            throw new HyperliquidRateLimitedException($"Hyperliquid {endpoint} refused locally: weight budget exhausted; not sent.", local: true, ex.RetryAfter, ex);
        }
        catch (BrokenCircuitException ex)
        {
            throw new HyperliquidUnavailableException($"Hyperliquid {endpoint}: circuit open; not sent.", ex);
        }
        catch (HttpRequestException ex) when (ExchangeRetryRules.IsConnectFailure(ex))
        {
            throw new HyperliquidUnavailableException($"Hyperliquid {endpoint}: could not connect; not sent.", ex);
        }
        catch (Exception ex) when (ex is TimeoutRejectedException or HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogOutcomeUnknown(ex, endpoint);
            throw new ExchangeOutcomeUnknownException($"Hyperliquid {endpoint}: no answer read; the action may have reached the venue. Reconcile before retrying.", ex);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                throw new HyperliquidRateLimitedException($"Hyperliquid {endpoint} answered 429 after the allowed retries; not executed.", local: false, response.Headers.RetryAfter?.Delta);
            }

            if ((int)response.StatusCode >= 500)
            {
                LogOutcomeUnknownStatus(endpoint, (int)response.StatusCode);
                throw new ExchangeOutcomeUnknownException($"Hyperliquid {endpoint} answered HTTP {(int)response.StatusCode}; the action may have been executed. Reconcile before retrying.");
            }

            return Parse(response.StatusCode, body, endpoint);
        }
    }

    private static ExchangeResult Parse(HttpStatusCode status, string body, string endpoint)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body);
        }
        catch (JsonException ex)
        {
            if (status is >= HttpStatusCode.OK and < HttpStatusCode.MultipleChoices)
            {
                throw new ExchangeOutcomeUnknownException($"Hyperliquid {endpoint} answered HTTP {(int)status} with a body that is not JSON.", ex);
            }

            throw new HyperliquidApiException(status, endpoint, body);
        }

        if (node is JsonObject obj && obj["status"]?.GetValueKind() == JsonValueKind.String)
        {
            return new ExchangeResult(status, obj["status"]!.GetValue<string>(), obj["response"]?.DeepClone(), body);
        }

        throw new HyperliquidApiException(status, endpoint, body);
    }

    private static int BatchLength(JsonObject action) =>
        (action["orders"] as JsonArray)?.Count ?? (action["cancels"] as JsonArray)?.Count ?? (action["modifies"] as JsonArray)?.Count ?? 0;

    [LoggerMessage(Level = LogLevel.Error, Message = "Hyperliquid {Endpoint}: outcome unknown, not retried")]
    private partial void LogOutcomeUnknown(Exception exception, string endpoint);

    [LoggerMessage(Level = LogLevel.Error, Message = "Hyperliquid {Endpoint}: HTTP {Status}, outcome unknown, not retried")]
    private partial void LogOutcomeUnknownStatus(string endpoint, int status);
}
