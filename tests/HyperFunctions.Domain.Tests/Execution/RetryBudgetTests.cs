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

public sealed class FundingReductionFactorTests
{
    private static OrderIntent Intent(OrderSide side, decimal size) =>
        OrderIntentRules.Validate(new OrderIntentDraft("BTC", side == OrderSide.Buy ? "buy" : "sell", size, "limit", 100m, null, null, false, null), "k:" + size).Intent!;

    private static ExecutionVerdict Decide(OrderIntent intent, decimal position, ExecutionLimits limits, decimal factor) =>
        ExecutionRules.Decide(intent, HyperFunctions.Domain.Safety.SafetyMode.ArmedLive, r => HyperFunctions.Domain.Safety.OrderGate.Evaluate(HyperFunctions.Domain.Safety.SafetyMode.ArmedLive, r), position, intent.LimitPrice, limits, factor);

    [Fact]
    public void While_funding_is_stale_the_limits_of_an_order_that_does_not_reduce_shrink_by_the_factor()
    {
        var limits = new ExecutionLimits(MaxNotional: 100m, MaxPositionPerCoin: 2m);
        Assert.True(Decide(Intent(OrderSide.Buy, 0.8m), 0, limits, 1m).Send);          // notional 80 ≤ 100
        var held = Decide(Intent(OrderSide.Buy, 0.8m), 0, limits, 0.5m);                // 80 > 50
        Assert.False(held.Send);
        Assert.Contains("funding reduction factor 0.5", held.Reason, StringComparison.Ordinal);
        Assert.True(Decide(Intent(OrderSide.Buy, 0.4m), 0, limits, 0.5m).Send);        // 40 ≤ 50

        var position = Decide(Intent(OrderSide.Buy, 0.4m), 0.8m, limits with { MaxNotional = null }, 0.5m); // 1.2 > 2 × 0.5
        Assert.False(position.Send);
        Assert.Contains("MaxPositionPerCoin", position.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_order_that_reduces_is_never_held_back_by_the_factor()
    {
        var limits = new ExecutionLimits(MaxNotional: 100m, MaxPositionPerCoin: 2m);
        Assert.True(Decide(Intent(OrderSide.Sell, 0.8m), 3m, limits, 0.1m).Send); // reduces a long of 3: 80 ≤ 100, the factor does not apply
        Assert.Throws<ArgumentOutOfRangeException>(() => Decide(Intent(OrderSide.Buy, 0.1m), 0, limits, 0m));
        Assert.Throws<ArgumentOutOfRangeException>(() => Decide(Intent(OrderSide.Buy, 0.1m), 0, limits, 1.5m));
    }

    [Fact]
    public void Whatever_the_factor_an_admitted_order_that_does_not_reduce_stays_within_the_scaled_limits()
    {
        var cases = from size in Gen.Choose(1, 400)
                    from position in Gen.Choose(-300, 300)
                    from factorPct in Gen.Choose(1, 100)
                    from buy in Gen.Elements(true, false)
                    select (size: size / 100m, position: position / 100m, factor: factorPct / 100m, side: buy ? OrderSide.Buy : OrderSide.Sell);
        var limits = new ExecutionLimits(MaxNotional: 150m, MaxPositionPerCoin: 2m);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var intent = Intent(c.side, c.size);
            var verdict = Decide(intent, c.position, limits, c.factor);
            if (!verdict.Send || ExecutionRules.Reduces(c.position, c.side, c.size)) return true;
            return c.size * 100m <= 150m * c.factor && Math.Abs(c.position + intent.SignedSize) <= 2m * c.factor;
        }));
    }
}
