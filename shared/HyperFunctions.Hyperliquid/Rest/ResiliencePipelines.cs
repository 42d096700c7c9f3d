using System.Net;
using HyperFunctions.Hyperliquid.Configuration;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace HyperFunctions.Hyperliquid.Rest;

/// <summary>
/// The two resilience pipelines. Order, outermost first:
/// info: total timeout → retry (transient + 429, exponential + jitter, Retry-After honoured) → circuit
/// breaker (transient faults, not 429) → weight budget → per-attempt timeout.
/// exchange: retry (429 and connect failures only) → circuit breaker → weight budget → timeout.
/// </summary>
internal static class ResiliencePipelines
{
    public static void ConfigureInfo(ResiliencePipelineBuilder<HttpResponseMessage> builder, HyperliquidRestOptions o, WeightBudgetGate gate)
    {
        builder.AddTimeout(new HttpTimeoutStrategyOptions { Name = "total", Timeout = o.TotalTimeout });
        AddGuardedAttempts(builder, o, gate, o.MaxRetryAttempts, IsTransientOrRateLimited, "attempt", o.AttemptTimeout);
    }

    public static void ConfigureExchange(ResiliencePipelineBuilder<HttpResponseMessage> builder, HyperliquidRestOptions o, WeightBudgetGate gate) =>
        AddGuardedAttempts(builder, o, gate, o.ExchangeMaxRetryAttempts, ExchangeRetryRules.ShouldRetry, "exchange", o.ExchangeTimeout);

    /// <summary>
    /// Retry (exponential with jitter, Retry-After honoured) → circuit breaker → weight budget, charged on
    /// every attempt → per-attempt timeout. Info and exchange differ only in what they retry and how often.
    /// </summary>
    private static void AddGuardedAttempts(
        ResiliencePipelineBuilder<HttpResponseMessage> builder, HyperliquidRestOptions o, WeightBudgetGate gate,
        int maxRetryAttempts, Func<Outcome<HttpResponseMessage>, bool> shouldRetry, string timeoutName, TimeSpan attemptTimeout)
    {
        builder
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(1, maxRetryAttempts),
                ShouldHandle = args => ValueTask.FromResult(maxRetryAttempts > 0 && shouldRetry(args.Outcome)),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = o.RetryBaseDelay,
                MaxDelay = o.RetryMaxDelay,
                ShouldRetryAfterHeader = true,
            })
            .AddCircuitBreaker(Breaker(o))
            .AddRateLimiter(new HttpRateLimiterStrategyOptions
            {
                RateLimiter = args => gate.AcquireAsync(RequestTags.WeightOf(args.Context.GetRequestMessage()), args.Context.CancellationToken),
            })
            .AddTimeout(new HttpTimeoutStrategyOptions { Name = timeoutName, Timeout = attemptTimeout });
    }

    /// <summary>5xx, 408, timeouts and network errors; deliberately not 429 (the budget handles that).</summary>
    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is HttpRequestException or TimeoutRejectedException
        || (outcome.Result is { } r && ((int)r.StatusCode >= 500 || r.StatusCode == HttpStatusCode.RequestTimeout));

    private static bool IsTransientOrRateLimited(Outcome<HttpResponseMessage> outcome) =>
        IsTransient(outcome) || outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests;

    private static HttpCircuitBreakerStrategyOptions Breaker(HyperliquidRestOptions o) => new()
    {
        FailureRatio = o.BreakerFailureRatio,
        MinimumThroughput = o.BreakerMinimumThroughput,
        SamplingDuration = o.BreakerSamplingDuration,
        BreakDuration = o.BreakerBreakDuration,
        ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
    };
}
