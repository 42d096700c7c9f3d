using HyperFunctions.Configuration;
using HyperFunctions.Domain.Checks;
using HyperFunctions.Functions.Checks;
using HyperFunctions.Hyperliquid.Rest;

namespace HyperFunctions.Functions.Functions.Checks;

/// <summary>
/// Timer: venue and API error rate over Checks:ErrorRate:WindowSeconds (ERROR_RATE_HIGH above
/// MaxErrorRatio) and sustained 429s (RATE_LIMITED once a rate-limit episode outlasts
/// RateLimitedAfterSeconds). Measures this process's own traffic (docs/checks.md says why).
/// </summary>
public sealed class ErrorRateCheck(RequestOutcomes outcomes, RateLimitMonitor rateLimits, LoadedConfiguration configuration, TimeProvider time) : ICheck
{
    private readonly ErrorRateThresholds _limits = new(
        configuration.Settings.Checks.ErrorRate.MaxErrorRatio,
        configuration.Settings.Checks.ErrorRate.MinRequests,
        TimeSpan.FromSeconds(configuration.Settings.Checks.ErrorRate.RateLimitedAfterSeconds));

    public string Name => nameof(ErrorRateCheck);

    public Task<CheckVerdict> EvaluateAsync(CheckContext context, CancellationToken ct)
    {
        var (requests, errors) = outcomes.Totals();
        var episode = rateLimits.Snapshot().Current;
        var facts = new ErrorRateFacts(requests, errors, outcomes.Window, episode?.Duration(time.GetUtcNow()), episode?.Count ?? 0);
        return Task.FromResult(ErrorRateRule.Evaluate(Name, facts, _limits));
    }
}
