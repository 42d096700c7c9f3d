using HyperFunctions.Hyperliquid;
using HyperFunctions.Hyperliquid.Policies;

namespace HyperFunctions.Hyperliquid.Tests.Policies;

public sealed class WeightBudgetTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static WeightBudget Budget(int capacity = 100) =>
        new(capacity, TimeSpan.FromMinutes(1), 0.5, TimeSpan.FromSeconds(60), 10);

    [Fact]
    public void Grants_until_the_window_is_full_then_says_when_weight_frees()
    {
        var budget = Budget();
        for (var i = 0; i < 5; i++)
        {
            Assert.True(budget.TryAcquire(T0.AddSeconds(i), 20, out _));
        }

        Assert.False(budget.TryAcquire(T0.AddSeconds(10), 20, out var wait));
        Assert.Equal(TimeSpan.FromSeconds(50), wait); // the first entry (t=0) leaves the window at t=60
        Assert.True(budget.TryAcquire(T0.AddSeconds(60), 20, out _));
    }

    [Fact]
    public void A_429_pauses_everything_until_retry_after_and_halves_capacity()
    {
        var budget = Budget();
        budget.OnRateLimited(T0, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1));

        Assert.False(budget.TryAcquire(T0.AddSeconds(4), 2, out var wait));
        Assert.Equal(TimeSpan.FromSeconds(1), wait);
        Assert.Equal(50, budget.EffectiveCapacity(T0.AddSeconds(5)));

        budget.OnRateLimited(T0.AddSeconds(5), null, TimeSpan.FromSeconds(1));
        Assert.Equal(25, budget.EffectiveCapacity(T0.AddSeconds(6)));
        Assert.Equal(T0.AddSeconds(6), budget.BlockedUntil);

        // Full capacity returns after the penalty period without a 429.
        Assert.Equal(100, budget.EffectiveCapacity(T0.AddSeconds(65)));
    }

    [Fact]
    public void Lowered_capacity_never_goes_below_the_floor()
    {
        var budget = Budget();
        for (var i = 0; i < 20; i++)
        {
            budget.OnRateLimited(T0.AddSeconds(i), null, TimeSpan.FromSeconds(1));
        }

        Assert.Equal(10, budget.EffectiveCapacity(T0.AddSeconds(20)));
    }

    [Fact]
    public void A_burst_of_429s_within_one_pause_cuts_capacity_once()
    {
        var budget = Budget();
        for (var i = 0; i < 8; i++)
        {
            budget.OnRateLimited(T0.AddMilliseconds(i * 10), null, TimeSpan.FromSeconds(1));
        }

        Assert.Equal(50, budget.EffectiveCapacity(T0.AddSeconds(1)));
    }

    [Fact]
    public void A_request_heavier_than_the_capacity_goes_alone()
    {
        var budget = Budget(10);
        Assert.True(budget.TryAcquire(T0, 20, out _));
        Assert.False(budget.TryAcquire(T0, 1, out _));
    }

    [Fact]
    public void Venue_weights_match_the_documented_table()
    {
        Assert.Equal(2, RequestWeights.Info(InfoRequestKind.L2Book));
        Assert.Equal(2, RequestWeights.Info(InfoRequestKind.AllMids));
        Assert.Equal(2, RequestWeights.Info(InfoRequestKind.ClearinghouseState));
        Assert.Equal(2, RequestWeights.Info(InfoRequestKind.OrderStatus));
        Assert.Equal(20, RequestWeights.Info(InfoRequestKind.Meta));
        Assert.Equal(20, RequestWeights.Info(InfoRequestKind.OpenOrders));
        Assert.Equal(2, RequestWeights.ExtraForItems(InfoRequestKind.UserFills, 45));
        Assert.Equal(0, RequestWeights.ExtraForItems(InfoRequestKind.L2Book, 45));
        Assert.Equal(1, RequestWeights.Exchange(1));
        Assert.Equal(2, RequestWeights.Exchange(79));
    }
}
