namespace HyperFunctions.Domain.Execution;

/// <summary>
/// How long and how often one intent may be tried before a person must look (Execution:RetryBudget): at most
/// <see cref="MaxAttempts"/> attempts (sends, rate-limited sends and venue look-ups by cloid), and at most
/// <see cref="Window"/> from its first attempt, to reach a known result.
/// </summary>
public sealed record RetryBudget(TimeSpan Window, int MaxAttempts)
{
    /// <summary>True when the intent has used its attempts or its window; <paramref name="firstAttemptAt"/> null means never tried.</summary>
    public bool IsExhausted(int attempts, DateTimeOffset? firstAttemptAt, DateTimeOffset now) =>
        attempts >= MaxAttempts || (firstAttemptAt is { } first && now - first >= Window);

    /// <summary>What was used, for reasons and alerts.</summary>
    public string Describe(int attempts, DateTimeOffset? firstAttemptAt, DateTimeOffset now) =>
        $"{attempts} of {MaxAttempts} attempts, {(firstAttemptAt is { } f ? Math.Max(0, (int)(now - f).TotalSeconds) : 0)} s of the {(int)Window.TotalSeconds} s window";
}

/// <summary>When a rate-limited intent comes back: exponential backoff with "equal jitter", never sooner than the venue's Retry-After.</summary>
public static class RetryBackoff
{
    /// <summary>
    /// Delay before attempt <paramref name="attempt"/> + 1: e = min(max, base × 2^(attempt−1)), then e/2 + e/2 × <paramref name="unit"/>
    /// (unit a uniform random number in [0, 1)), then at least <paramref name="retryAfter"/>, never above <paramref name="max"/>.
    /// </summary>
    public static TimeSpan Delay(int attempt, TimeSpan baseDelay, TimeSpan max, double unit, TimeSpan? retryAfter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(baseDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, baseDelay);
        if (double.IsNaN(unit) || unit < 0 || unit >= 1) throw new ArgumentOutOfRangeException(nameof(unit), "Must be in [0, 1).");
        var exponent = Math.Min(attempt - 1, 30);
        var ticks = Math.Min((double)max.Ticks, baseDelay.Ticks * Math.Pow(2, exponent));
        var jittered = TimeSpan.FromTicks((long)(ticks / 2 + ticks / 2 * unit));
        if (retryAfter is { } ra && ra > jittered) jittered = ra;
        return jittered > max ? max : jittered;
    }
}
