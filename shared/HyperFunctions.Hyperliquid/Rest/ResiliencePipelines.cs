using System.Net;
using HyperFunctions.Hyperliquid.Configuration;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.RateLimiting;
using Polly.Telemetry;
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
    /// <summary>Name of the rate-limiter strategy over <see cref="WeightBudgetGate"/> (telemetry source).</summary>
    public const string WeightBudgetStrategy = "weight-budget";

    /// <summary>What the latest attempt of an execution came to; read by <see cref="Severity"/>.</summary>
    internal static readonly ResiliencePropertyKey<AttemptOutcome> LastAttempt = new("hyperliquid.last-attempt");

    public static void ConfigureInfo(ResiliencePipelineBuilder<HttpResponseMessage> builder, HyperliquidRestOptions o, WeightBudgetGate gate)
    {
        builder.AddTimeout(new HttpTimeoutStrategyOptions { Name = "total", Timeout = o.TotalTimeout });
        AddGuardedAttempts(builder, o, gate, o.MaxRetryAttempts, IsTransientOrRateLimited, "attempt", o.AttemptTimeout);
    }

    public static void ConfigureExchange(ResiliencePipelineBuilder<HttpResponseMessage> builder, HyperliquidRestOptions o, WeightBudgetGate gate) =>
        AddGuardedAttempts(builder, o, gate, o.ExchangeMaxRetryAttempts, ExchangeRetryRules.ShouldRetry, "exchange", o.ExchangeTimeout);

    /// <summary>
    /// Gives the pipeline its own copy of the global telemetry options with a severity provider that keeps
    /// rate limiting out of Polly's log above Debug: the weight budget and the rate-limit monitor tell
    /// each episode once. By default Polly logs a local refusal (<c>OnRateLimiterRejected</c>) at Error and every 429
    /// attempt and retry at Warning (Error for the last), which made a 429 storm one log line per request.
    /// Other events keep their severity, or whatever a globally configured provider says; metrics are
    /// unaffected (Polly meters every event whatever its severity).
    /// </summary>
    public static void ConfigureTelemetry(ResiliencePipelineBuilder<HttpResponseMessage> builder, TelemetryOptions global)
    {
        var telemetry = new TelemetryOptions(global);
        var inner = telemetry.SeverityProvider;
        telemetry.SeverityProvider = args => Severity(args) ?? inner?.Invoke(args) ?? args.Event.Severity;
        builder.ConfigureTelemetry(telemetry);
    }

    /// <summary>
    /// The severity for Polly's telemetry of one of these pipelines, or null to keep the default:
    /// a local refusal by the weight budget (<c>OnRateLimiterRejected</c>, Error by default) and the
    /// attempt, retry and pipeline-end events of an attempt that met a 429 or a local refusal go to
    /// Debug. The gate logs the first refusal of a run, <see cref="RateLimitMonitor"/> each episode.
    /// Debug rather than <see cref="ResilienceEventSeverity.None"/>: Polly still hands a None event to
    /// the logger at <c>LogLevel.None</c>, and whether it is dropped is up to each logging provider.
    /// </summary>
    internal static ResilienceEventSeverity? Severity(SeverityProviderArguments args)
    {
        if (args.Event.EventName == "OnRateLimiterRejected" && args.Source.StrategyName == WeightBudgetStrategy)
        {
            return ResilienceEventSeverity.Debug;
        }

        if (args.Event.EventName is "ExecutionAttempt" or "OnRetry" or "PipelineExecuted"
            && args.Context.Properties.TryGetValue(LastAttempt, out var last)
            && last is AttemptOutcome.RateLimited or AttemptOutcome.RefusedLocally)
        {
            return ResilienceEventSeverity.Debug;
        }

        return null;
    }

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
                Name = "retry",
                MaxRetryAttempts = Math.Max(1, maxRetryAttempts),
                ShouldHandle = args =>
                {
                    // Called for every attempt before Polly reports it: note what it came to for Severity.
                    args.Context.Properties.Set(LastAttempt, Classify(args.Outcome));
                    return ValueTask.FromResult(maxRetryAttempts > 0 && shouldRetry(args.Outcome));
                },
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = o.RetryBaseDelay,
                MaxDelay = o.RetryMaxDelay,
                ShouldRetryAfterHeader = true,
            })
            .AddCircuitBreaker(Breaker(o))
            .AddRateLimiter(new HttpRateLimiterStrategyOptions
            {
                Name = WeightBudgetStrategy,
                RateLimiter = args => gate.AcquireAsync(RequestTags.WeightOf(args.Context.GetRequestMessage()), args.Context.CancellationToken),
            })
            .AddTimeout(new HttpTimeoutStrategyOptions { Name = timeoutName, Timeout = attemptTimeout });
    }

    private static AttemptOutcome Classify(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: RateLimiterRejectedException } => AttemptOutcome.RefusedLocally,
        { Result.StatusCode: HttpStatusCode.TooManyRequests } => AttemptOutcome.RateLimited,
        _ => AttemptOutcome.Other,
    };

    /// <summary>5xx, 408, timeouts and network errors; deliberately not 429 (the budget handles that).</summary>
    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is HttpRequestException or TimeoutRejectedException
        || (outcome.Result is { } r && ((int)r.StatusCode >= 500 || r.StatusCode == HttpStatusCode.RequestTimeout));

    private static bool IsTransientOrRateLimited(Outcome<HttpResponseMessage> outcome) =>
        IsTransient(outcome) || outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests;

    private static HttpCircuitBreakerStrategyOptions Breaker(HyperliquidRestOptions o) => new()
    {
        Name = "breaker",
        FailureRatio = o.BreakerFailureRatio,
        MinimumThroughput = o.BreakerMinimumThroughput,
        SamplingDuration = o.BreakerSamplingDuration,
        BreakDuration = o.BreakerBreakDuration,
        ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
    };

    /// <summary>What one attempt came to, as far as logging is concerned.</summary>
    internal enum AttemptOutcome
    {
        /// <summary>Anything else: an answer, a transient fault.</summary>
        Other,

        /// <summary>The venue answered 429.</summary>
        RateLimited,

        /// <summary>The weight budget refused the attempt before sending.</summary>
        RefusedLocally,
    }
}
