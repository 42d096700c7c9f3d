using HyperFunctions.Hyperliquid.Policies;
using HyperFunctions.Hyperliquid.Tests.Support;

namespace HyperFunctions.Hyperliquid.Tests.Policies;

public sealed class BackoffScheduleTests
{
    private static readonly BackoffSettings Defaults = BackoffSettings.Default;

    [Fact]
    public void Default_schedule_is_immediate_then_1_2_4_8_16_32_60_60_seconds()
    {
        var nominal = Enumerable.Range(1, 10).Select(r => BackoffSchedule.Nominal(r, Defaults).TotalSeconds).ToArray();

        Assert.Equal([0, 1, 2, 4, 8, 16, 32, 60, 60, 60], nominal);
    }

    [Fact]
    public void Without_immediate_first_retry_the_first_delay_is_the_initial_delay()
    {
        var settings = Defaults with { FirstRetryImmediate = false };

        Assert.Equal(TimeSpan.FromSeconds(1), BackoffSchedule.Nominal(1, settings));
        Assert.Equal(TimeSpan.FromSeconds(2), BackoffSchedule.Nominal(2, settings));
        Assert.Equal(TimeSpan.FromSeconds(60), BackoffSchedule.Nominal(100_000, settings));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(0.999999)]
    public void Jitter_stays_within_plus_minus_25_percent_and_never_exceeds_max(double draw)
    {
        var random = new SequenceRandom(draw);
        for (var retry = 2; retry <= 12; retry++)
        {
            var delay = BackoffSchedule.Delay(retry, Defaults, random);
            var (min, max) = BackoffSchedule.Bounds(retry, Defaults);
            var nominal = BackoffSchedule.Nominal(retry, Defaults);

            Assert.InRange(delay, min, max);
            Assert.InRange(delay.Ticks, (long)(nominal.Ticks * 0.75), (long)(nominal.Ticks * 1.25));
            Assert.True(delay <= Defaults.Max);
        }
    }

    [Fact]
    public void Jitter_extremes_hit_the_bounds()
    {
        Assert.Equal(TimeSpan.FromSeconds(3), BackoffSchedule.Delay(4, Defaults, new SequenceRandom(0.0)));   // 4 s − 25 %
        Assert.Equal(TimeSpan.FromSeconds(4), BackoffSchedule.Delay(4, Defaults, new SequenceRandom(0.5)));   // centre
        Assert.Equal(TimeSpan.FromSeconds(45), BackoffSchedule.Delay(9, Defaults, new SequenceRandom(0.0)));  // 60 s − 25 %
        Assert.Equal(TimeSpan.FromSeconds(60), BackoffSchedule.Delay(9, Defaults, new SequenceRandom(0.9999))); // capped at max
    }

    [Fact]
    public void Immediate_first_retry_has_no_jitter()
    {
        Assert.Equal(TimeSpan.Zero, BackoffSchedule.Delay(1, Defaults, new SequenceRandom(0.99)));
    }

    [Fact]
    public void Many_random_draws_spread_over_the_whole_jitter_band()
    {
        var random = new Random(7);
        var source = new SequenceRandom([.. Enumerable.Range(0, 2000).Select(_ => random.NextDouble())]);
        var delays = Enumerable.Range(0, 2000).Select(_ => BackoffSchedule.Delay(3, Defaults, source).TotalMilliseconds).ToArray();

        Assert.All(delays, d => Assert.InRange(d, 1500, 2500));
        Assert.True(delays.Min() < 1600 && delays.Max() > 2400, "jitter should use the whole ±25 % band");
    }

    [Fact]
    public void Huge_retry_numbers_do_not_overflow()
    {
        Assert.Equal(Defaults.Max, BackoffSchedule.Nominal(int.MaxValue, Defaults));
    }

    [Fact]
    public void Retry_numbers_below_one_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BackoffSchedule.Nominal(0, Defaults));
    }
}
