namespace HyperFunctions.Hyperliquid.Policies;

/// <summary>Parameters of the reconnect backoff schedule.</summary>
/// <param name="Initial">Delay of the first non-immediate retry.</param>
/// <param name="Multiplier">Growth factor per further retry (base of the exponent).</param>
/// <param name="Max">Upper bound of any delay, jitter included.</param>
/// <param name="JitterFraction">Relative jitter, 0.25 means ±25 %.</param>
/// <param name="FirstRetryImmediate">Whether retry 1 happens without delay.</param>
public sealed record BackoffSettings(
    TimeSpan Initial,
    double Multiplier,
    TimeSpan Max,
    double JitterFraction,
    bool FirstRetryImmediate)
{
    /// <summary>The operating-procedure defaults: 1 s, ×2, max 60 s, ±25 %, first retry immediate.</summary>
    public static BackoffSettings Default { get; } =
        new(TimeSpan.FromSeconds(1), 2.0, TimeSpan.FromSeconds(60), 0.25, FirstRetryImmediate: true);
}
