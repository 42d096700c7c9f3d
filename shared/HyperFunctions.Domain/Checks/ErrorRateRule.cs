using System.Globalization;
using HyperFunctions.Domain.Alerts;
using HyperFunctions.Domain.Safety;

namespace HyperFunctions.Domain.Checks;

/// <param name="Requests">Venue REST attempts and API requests in the window.</param>
/// <param name="Errors">Of those, venue answers 4xx (but 429) / 5xx / timeouts / no answer, and API 5xx.</param>
/// <param name="RateLimitedFor">How long the open rate-limit episode (a run of 429s) has lasted; null when none is open.</param>
public sealed record ErrorRateFacts(long Requests, long Errors, TimeSpan Window, TimeSpan? RateLimitedFor, long RateLimitedAnswers);

public sealed record ErrorRateThresholds(double MaxErrorRatio, long MinRequests, TimeSpan RateLimitedAfter);

/// <summary>
/// ERROR_RATE_HIGH (ARMED_SAFE) when errors / requests over the window exceed the limit (with at least
/// MinRequests, so two calls and one failure are not a trend); RATE_LIMITED (ARMED_SAFE) while a
/// rate-limit episode has lasted longer than its limit. Both clear (self-clearing per policy) when quiet.
/// </summary>
public static class ErrorRateRule
{
    public static CheckVerdict Evaluate(string check, ErrorRateFacts facts, ErrorRateThresholds limits)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(limits);
        var ratio = facts.Requests == 0 ? 0 : (double)facts.Errors / facts.Requests;
        var window = facts.Window.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture);
        var rateText = $"{facts.Errors} errors in {facts.Requests} requests over {window} s ({Percent(ratio)}, limit {Percent(limits.MaxErrorRatio)})";
        var high = facts.Requests >= limits.MinRequests && ratio > limits.MaxErrorRatio;
        var limited = facts.RateLimitedFor is { } d && d > limits.RateLimitedAfter;
        var limitedText = facts.RateLimitedFor is { } f
            ? $"rate-limit episode open for {f.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture)} s (limit {limits.RateLimitedAfter.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture)} s, {facts.RateLimitedAnswers} answers of 429 so far)"
            : "no rate-limit episode";
        var conditions = new List<ConditionVerdict>
        {
            high ? ConditionVerdict.Raise(ReasonCode.ErrorRateHigh, SafetyMode.ArmedSafe, AlertLevel.Operations, "Error rate high: " + rateText)
                 : ConditionVerdict.Healthy(ReasonCode.ErrorRateHigh, SafetyMode.ArmedSafe, AlertLevel.Operations, "Error rate within limit: " + rateText),
            limited ? ConditionVerdict.Raise(ReasonCode.RateLimited, SafetyMode.ArmedSafe, AlertLevel.Operations, "Rate limited: " + limitedText)
                    : ConditionVerdict.Healthy(ReasonCode.RateLimited, SafetyMode.ArmedSafe, AlertLevel.Operations, "Not rate limited: " + limitedText),
        };
        var data = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["requests"] = facts.Requests.ToString(CultureInfo.InvariantCulture),
            ["errors"] = facts.Errors.ToString(CultureInfo.InvariantCulture),
            ["errorRatio"] = ratio.ToString("0.####", CultureInfo.InvariantCulture),
            ["rateLimited"] = limitedText,
        };
        var health = high || limited ? CheckHealth.Unhealthy : facts.RateLimitedFor is not null ? CheckHealth.Degraded : CheckHealth.Healthy;
        return CheckVerdict.Of(check, health, $"{rateText}; {limitedText}", conditions, [], data);
    }

    private static string Percent(double ratio) => (ratio * 100).ToString("0.##", CultureInfo.InvariantCulture) + " %";
}
