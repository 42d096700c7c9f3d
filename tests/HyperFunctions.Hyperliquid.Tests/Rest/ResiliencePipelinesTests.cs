using HyperFunctions.Hyperliquid.Rest;
using Polly;
using Polly.Telemetry;

namespace HyperFunctions.Hyperliquid.Tests.Rest;

/// <summary>The severity Polly's telemetry gets for the Hyperliquid pipelines' events.</summary>
public sealed class ResiliencePipelinesTests
{
    [Theory]
    [InlineData("OnRateLimiterRejected", ResiliencePipelines.WeightBudgetStrategy, null, ResilienceEventSeverity.Debug)]
    [InlineData("OnRateLimiterRejected", "some-other-limiter", null, null)]
    [InlineData("ExecutionAttempt", "retry", "RateLimited", ResilienceEventSeverity.Debug)]
    [InlineData("OnRetry", "retry", "RateLimited", ResilienceEventSeverity.Debug)]
    [InlineData("PipelineExecuted", null, "RefusedLocally", ResilienceEventSeverity.Debug)]
    [InlineData("ExecutionAttempt", "retry", "RefusedLocally", ResilienceEventSeverity.Debug)]
    [InlineData("ExecutionAttempt", "retry", "Other", null)]
    [InlineData("OnRetry", "retry", null, null)]
    [InlineData("OnTimeout", "attempt", "RateLimited", null)]
    [InlineData("OnCircuitOpened", "breaker", "RateLimited", null)]
    public void Only_rate_limiting_is_taken_out_of_the_log(string eventName, string? strategy, string? lastAttempt, ResilienceEventSeverity? expected)
    {
        var context = ResilienceContextPool.Shared.Get();
        try
        {
            if (lastAttempt is not null)
            {
                context.Properties.Set(ResiliencePipelines.LastAttempt, Enum.Parse<ResiliencePipelines.AttemptOutcome>(lastAttempt));
            }

            var args = new SeverityProviderArguments(
                new ResilienceTelemetrySource("hyperliquid-info-pipeline", null, strategy),
                new ResilienceEvent(ResilienceEventSeverity.Warning, eventName),
                context);

            Assert.Equal(expected, ResiliencePipelines.Severity(args));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
