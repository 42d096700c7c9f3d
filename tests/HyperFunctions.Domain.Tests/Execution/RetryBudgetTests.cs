using FsCheck;
using FsCheck.Fluent;
using HyperFunctions.Domain.Execution;

namespace HyperFunctions.Domain.Tests.Execution;

public sealed class RetryBudgetTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly RetryBudget Budget = new(TimeSpan.FromSeconds(300), 5);

    [Fact]
    public void An_untried_intent_has_its_whole_budget()
    {
        Assert.False(Budget.IsExhausted(0, null, T0));
        Assert.False(Budget.IsExhausted(4, T0, T0.AddSeconds(299)));
    }

    [Fact]
    public void The_budget_runs_out_at_max_attempts_or_at_the_end_of_the_window_whichever_comes_first()
    {
        Assert.True(Budget.IsExhausted(5, T0, T0.AddSeconds(1)));
        Assert.True(Budget.IsExhausted(1, T0, T0.AddSeconds(300)));
        Assert.Equal("5 of 5 attempts, 12 s of the 300 s window", Budget.Describe(5, T0, T0.AddSeconds(12)));
    }

    [Fact]
    public void Backoff_doubles_per_attempt_within_equal_jitter_and_stops_at_the_maximum()
    {
        var baseDelay = TimeSpan.FromSeconds(2);
        var max = TimeSpan.FromSeconds(60);
        Assert.Equal(TimeSpan.FromSeconds(1), RetryBackoff.Delay(1, baseDelay, max, 0, null));
        Assert.Equal(TimeSpan.FromSeconds(4), RetryBackoff.Delay(3, baseDelay, max, 0, null));      // 8 s / 2
        Assert.Equal(TimeSpan.FromSeconds(7), RetryBackoff.Delay(3, baseDelay, max, 0.75, null));   // 4 + 4 × 0.75
        Assert.Equal(TimeSpan.FromSeconds(30), RetryBackoff.Delay(40, baseDelay, max, 0, null));    // capped, then halved
        Assert.Equal(TimeSpan.FromSeconds(9), RetryBackoff.Delay(1, baseDelay, max, 0, TimeSpan.FromSeconds(9))); // the venue's Retry-After wins
        Assert.Equal(max, RetryBackoff.Delay(1, baseDelay, max, 0, TimeSpan.FromHours(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => RetryBackoff.Delay(0, baseDelay, max, 0, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => RetryBackoff.Delay(1, baseDelay, max, 1.0, null));
    }

    [Fact]
    public void Backoff_is_never_zero_never_above_the_maximum_and_never_shrinks_with_more_attempts()
    {
        var cases = from attempt in Gen.Choose(1, 60)
                    from baseSeconds in Gen.Choose(1, 120)
                    from jitterMille in Gen.Choose(0, 999)
                    select (attempt, baseSeconds, jitterMille);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var baseDelay = TimeSpan.FromSeconds(c.baseSeconds);
            var max = TimeSpan.FromSeconds(c.baseSeconds * 40);
            var unit = c.jitterMille / 1000.0;
            var delay = RetryBackoff.Delay(c.attempt, baseDelay, max, unit, null);
            var next = RetryBackoff.Delay(c.attempt + 1, baseDelay, max, unit, null);
            return delay > TimeSpan.Zero && delay <= max && next >= delay && delay >= baseDelay / 2;
        }));
    }
}
