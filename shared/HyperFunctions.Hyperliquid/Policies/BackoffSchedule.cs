namespace HyperFunctions.Hyperliquid.Policies;

/// <summary>
/// Pure exponential backoff with jitter. <c>retry</c> is 1-based: retry 1 is the first attempt after a
/// disconnect or failed attempt. Nominal delay of the n-th delayed retry is
/// <c>min(Max, Initial × Multiplier^(n−1))</c>; jitter multiplies it by a uniform factor in
/// <c>[1 − J, 1 + J]</c>; the result is clamped to <c>[0, Max]</c>.
/// </summary>
public static class BackoffSchedule
{
    /// <summary>The delay before the given retry without jitter.</summary>
    public static TimeSpan Nominal(int retry, BackoffSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        if (settings.FirstRetryImmediate)
        {
            if (retry == 1)
            {
                return TimeSpan.Zero;
            }

            retry--;
        }

        // Exponent grows without bound; clamp in double space before converting.
        var exponent = Math.Min(retry - 1, 1024);
        var ticks = settings.Initial.Ticks * Math.Pow(settings.Multiplier, exponent);
        return ticks >= settings.Max.Ticks || double.IsInfinity(ticks) || double.IsNaN(ticks)
            ? settings.Max
            : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The delay before the given retry, with jitter drawn from <paramref name="random"/>.</summary>
    public static TimeSpan Delay(int retry, BackoffSettings settings, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var nominal = Nominal(retry, settings);
        if (nominal == TimeSpan.Zero || settings.JitterFraction == 0)
        {
            return nominal;
        }

        var factor = 1 + (settings.JitterFraction * ((2 * random.NextDouble()) - 1));
        var ticks = (long)(nominal.Ticks * factor);
        return TimeSpan.FromTicks(Math.Clamp(ticks, 0, settings.Max.Ticks));
    }

    /// <summary>The inclusive range a jittered delay for the given retry can fall in.</summary>
    public static (TimeSpan Min, TimeSpan Max) Bounds(int retry, BackoffSettings settings)
    {
        var nominal = Nominal(retry, settings);
        var low = TimeSpan.FromTicks((long)(nominal.Ticks * (1 - settings.JitterFraction)));
        var high = TimeSpan.FromTicks(Math.Min((long)(nominal.Ticks * (1 + settings.JitterFraction)), settings.Max.Ticks));
        return (low, high);
    }
}
