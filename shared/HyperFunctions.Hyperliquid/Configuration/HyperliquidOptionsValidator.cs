using Microsoft.Extensions.Options;

namespace HyperFunctions.Hyperliquid.Configuration;

/// <summary>Validates <see cref="HyperliquidOptions"/>; every message names the offending key.</summary>
public sealed class HyperliquidOptionsValidator : IValidateOptions<HyperliquidOptions>
{
    private const string S = HyperliquidOptions.SectionName;
    private static readonly TimeSpan VenueIdleClose = TimeSpan.FromSeconds(60);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, HyperliquidOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        ValidateEndpoints(options, errors);
        ValidateRest(options.Rest, errors);
        ValidateSocket(options.Socket, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateEndpoints(HyperliquidOptions o, List<string> errors)
    {
        if (!Enum.IsDefined(o.Network))
        {
            errors.Add($"{S}:Network must be Simulator, Testnet or Mainnet; got '{o.Network}'.");
        }

        if (o.RestUrl is null && o.Network == HyperliquidNetwork.Simulator)
        {
            errors.Add($"{S}:RestUrl is required when {S}:Network is Simulator.");
        }
        else if (o.RestUrl is { } rest && (!rest.IsAbsoluteUri || (rest.Scheme != Uri.UriSchemeHttp && rest.Scheme != Uri.UriSchemeHttps)))
        {
            errors.Add($"{S}:RestUrl must be an absolute http(s) URL; got '{rest}'.");
        }

        if (o.WsUrl is null && o.Network == HyperliquidNetwork.Simulator)
        {
            errors.Add($"{S}:WsUrl is required when {S}:Network is Simulator.");
        }
        else if (o.WsUrl is { } ws && (!ws.IsAbsoluteUri || (ws.Scheme != Uri.UriSchemeWs && ws.Scheme != Uri.UriSchemeWss)))
        {
            errors.Add($"{S}:WsUrl must be an absolute ws(s) URL; got '{ws}'.");
        }
    }

    private static void ValidateRest(HyperliquidRestOptions r, List<string> errors)
    {
        const string P = S + ":Rest:";
        Positive(errors, P + nameof(r.AttemptTimeout), r.AttemptTimeout);
        Positive(errors, P + nameof(r.TotalTimeout), r.TotalTimeout);
        Positive(errors, P + nameof(r.RetryBaseDelay), r.RetryBaseDelay);
        Positive(errors, P + nameof(r.RetryMaxDelay), r.RetryMaxDelay);
        Positive(errors, P + nameof(r.ExchangeTimeout), r.ExchangeTimeout);
        Positive(errors, P + nameof(r.RateLimitPenaltyDuration), r.RateLimitPenaltyDuration);
        Positive(errors, P + nameof(r.RateLimitMinimumPause), r.RateLimitMinimumPause);
        Positive(errors, P + nameof(r.MaxBudgetWait), r.MaxBudgetWait);
        Positive(errors, P + nameof(r.RateLimitEpisodeQuietPeriod), r.RateLimitEpisodeQuietPeriod);
        Positive(errors, P + nameof(r.BreakerSamplingDuration), r.BreakerSamplingDuration);
        Positive(errors, P + nameof(r.BreakerBreakDuration), r.BreakerBreakDuration);
        Range(errors, P + nameof(r.MaxRetryAttempts), r.MaxRetryAttempts, 0, 10);
        Range(errors, P + nameof(r.ExchangeMaxRetryAttempts), r.ExchangeMaxRetryAttempts, 0, 5);
        Range(errors, P + nameof(r.WeightBudgetPerMinute), r.WeightBudgetPerMinute, 1, 1_000_000);
        if (r.MinimumWeightBudget > r.WeightBudgetPerMinute && r.WeightBudgetPerMinute >= 1)
        {
            errors.Add($"{P}{nameof(r.MinimumWeightBudget)} ({r.MinimumWeightBudget}) must not exceed {P}{nameof(r.WeightBudgetPerMinute)} ({r.WeightBudgetPerMinute}); lower both together.");
        }
        else
        {
            Range(errors, P + nameof(r.MinimumWeightBudget), r.MinimumWeightBudget, 1, Math.Max(1, r.WeightBudgetPerMinute));
        }

        Range(errors, P + nameof(r.RateLimitRecoveryStep), r.RateLimitRecoveryStep, 0, Math.Max(0, r.WeightBudgetPerMinute));
        Range(errors, P + nameof(r.BreakerMinimumThroughput), r.BreakerMinimumThroughput, 2, 10_000);
        if (r.RateLimitPenaltyFactor is <= 0 or > 1)
        {
            errors.Add($"{P}{nameof(r.RateLimitPenaltyFactor)} must be in (0, 1]; got {r.RateLimitPenaltyFactor}.");
        }

        if (r.BreakerFailureRatio is <= 0 or > 1)
        {
            errors.Add($"{P}{nameof(r.BreakerFailureRatio)} must be in (0, 1]; got {r.BreakerFailureRatio}.");
        }

        if (r.RetryMaxDelay < r.RetryBaseDelay)
        {
            errors.Add($"{P}{nameof(r.RetryMaxDelay)} ({r.RetryMaxDelay}) must not be below {P}{nameof(r.RetryBaseDelay)} ({r.RetryBaseDelay}).");
        }

        if (r.TotalTimeout < r.AttemptTimeout)
        {
            errors.Add($"{P}{nameof(r.TotalTimeout)} ({r.TotalTimeout}) must not be below {P}{nameof(r.AttemptTimeout)} ({r.AttemptTimeout}).");
        }

        if (r.BreakerSamplingDuration < r.AttemptTimeout + r.AttemptTimeout)
        {
            errors.Add($"{P}{nameof(r.BreakerSamplingDuration)} ({r.BreakerSamplingDuration}) must be at least twice {P}{nameof(r.AttemptTimeout)} ({r.AttemptTimeout}).");
        }
    }

    private static void ValidateSocket(HyperliquidSocketOptions s, List<string> errors)
    {
        const string P = S + ":Socket:";
        Positive(errors, P + nameof(s.ConnectTimeout), s.ConnectTimeout);
        Positive(errors, P + nameof(s.MessageTimeout), s.MessageTimeout);
        Positive(errors, P + nameof(s.BackoffInitial), s.BackoffInitial);
        Positive(errors, P + nameof(s.BackoffMax), s.BackoffMax);
        Positive(errors, P + nameof(s.GapThreshold), s.GapThreshold);
        if (s.PingInterval <= TimeSpan.Zero || s.PingInterval >= VenueIdleClose)
        {
            errors.Add($"{P}{nameof(s.PingInterval)} must be above 0 and below 00:01:00 (the venue closes a connection idle for 60 s); got {s.PingInterval}.");
        }

        if (s.BackoffMax < s.BackoffInitial)
        {
            errors.Add($"{P}{nameof(s.BackoffMax)} ({s.BackoffMax}) must not be below {P}{nameof(s.BackoffInitial)} ({s.BackoffInitial}).");
        }

        if (s.BackoffMultiplier is < 1 or > 10 || double.IsNaN(s.BackoffMultiplier))
        {
            errors.Add($"{P}{nameof(s.BackoffMultiplier)} must be in [1, 10]; got {s.BackoffMultiplier}.");
        }

        if (s.BackoffJitter is < 0 or >= 1 || double.IsNaN(s.BackoffJitter))
        {
            errors.Add($"{P}{nameof(s.BackoffJitter)} must be in [0, 1); got {s.BackoffJitter}.");
        }

        if (s.BackoffResetAfter < TimeSpan.Zero)
        {
            errors.Add($"{P}{nameof(s.BackoffResetAfter)} must not be negative; got {s.BackoffResetAfter}.");
        }

        if (s.BreakerCoolOff < TimeSpan.Zero)
        {
            errors.Add($"{P}{nameof(s.BreakerCoolOff)} must not be negative; got {s.BreakerCoolOff}.");
        }

        Range(errors, P + nameof(s.BreakerFailureThreshold), s.BreakerFailureThreshold, 1, 1000);
        Range(errors, P + nameof(s.EventQueueCapacity), s.EventQueueCapacity, 16, 10_000_000);
        Range(errors, P + nameof(s.MaxMessageBytes), s.MaxMessageBytes, 1024, 256 * 1024 * 1024);
    }

    private static void Positive(List<string> errors, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{key} must be a positive duration (e.g. 00:00:10); got {value}.");
        }
    }

    private static void Range(List<string> errors, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{key} must be between {min} and {max}; got {value}.");
        }
    }
}
