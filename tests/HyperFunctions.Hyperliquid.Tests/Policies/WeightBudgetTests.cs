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
        var cut = budget.OnRateLimited(T0, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1));

        Assert.Equal(new BudgetCut(100, 50), cut);
        Assert.False(budget.TryAcquire(T0.AddSeconds(4), 2, out var wait));
        Assert.Equal(TimeSpan.FromSeconds(1), wait);
        Assert.Equal(50, budget.EffectiveCapacity(T0.AddSeconds(5)));
        Assert.Equal(T0.AddSeconds(60), budget.PenaltyUntil(T0.AddSeconds(5)));

        // Full capacity returns after the penalty period without a 429.
        Assert.Equal(100, budget.EffectiveCapacity(T0.AddSeconds(60)));
        Assert.Null(budget.PenaltyUntil(T0.AddSeconds(60)));
    }

    [Fact]
    public void Consecutive_429s_without_a_successful_answer_between_them_are_one_signal_and_one_cut()
    {
        var budget = Budget();

        // Six 429s a second apart, each to a request sent after the previous pause (a retry storm).
        var cuts = Enumerable.Range(0, 6)
            .Select(i => budget.OnRateLimited(T0.AddSeconds(i), null, TimeSpan.FromSeconds(1), budget.Cuts))
            .ToList();

        Assert.Equal(new BudgetCut(100, 50), cuts[0]);
        Assert.All(cuts.Skip(1), c => Assert.Null(c));
        Assert.Equal(1, budget.Cuts);
        Assert.Equal(T0, budget.LastCutAt);
        Assert.Equal(50, budget.EffectiveCapacity(T0.AddSeconds(6)));
        Assert.Equal(T0.AddSeconds(6), budget.BlockedUntil);

        // The penalty runs from the last 429, not the first.
        Assert.Equal(50, budget.EffectiveCapacity(T0.AddSeconds(64)));
        Assert.Equal(100, budget.EffectiveCapacity(T0.AddSeconds(65)));
    }

    [Fact]
    public void A_429_after_a_successful_answer_is_a_new_signal_and_cuts_again()
    {
        var budget = Budget();
        budget.OnRateLimited(T0, null, TimeSpan.FromSeconds(1), budget.Cuts);
        budget.OnAnswered(T0.AddSeconds(2), 2, budget.Cuts);

        var second = budget.OnRateLimited(T0.AddSeconds(3), null, TimeSpan.FromSeconds(1), budget.Cuts);

        Assert.Equal(new BudgetCut(50, 25), second); // no recovery step here: the answer only re-armed the cut
        Assert.Equal(2, budget.Cuts);
    }

    [Fact]
    public void Answers_to_requests_sent_before_the_cut_neither_raise_the_budget_nor_allow_another_cut()
    {
        var budget = Budget();
        var sentBefore = budget.Cuts;
        budget.OnRateLimited(T0, null, TimeSpan.FromSeconds(1), sentBefore);

        // An answer that was already in flight when the 429 came, then the 429 of another such request.
        Assert.Equal(0, budget.OnAnswered(T0.AddSeconds(1), 20, sentBefore));
        var late = budget.OnRateLimited(T0.AddSeconds(2), null, TimeSpan.FromSeconds(1), sentBefore);

        Assert.Null(late);
        Assert.Equal(50, budget.EffectiveCapacity(T0.AddSeconds(3)));

        // Even once a fresh answer re-armed the cut, a late 429 of the old generation does not cut.
        budget.OnAnswered(T0.AddSeconds(4), 20, budget.Cuts);
        Assert.Null(budget.OnRateLimited(T0.AddSeconds(5), null, TimeSpan.FromSeconds(1), sentBefore));
        Assert.Equal(1, budget.Cuts);
    }

    [Fact]
    public void Each_successful_answer_raises_the_lowered_budget_by_the_step_up_to_the_nominal_capacity()
    {
        var budget = new WeightBudget(100, TimeSpan.FromMinutes(1), 0.5, TimeSpan.FromSeconds(60), 10, recoveryStep: 10);
        budget.OnRateLimited(T0, null, TimeSpan.FromSeconds(1));

        var seen = new List<int>();
        for (var i = 1; i <= 7; i++)
        {
            budget.OnAnswered(T0.AddSeconds(i), 20, budget.Cuts);
            seen.Add(budget.EffectiveCapacity(T0.AddSeconds(i)));
        }

        Assert.Equal([60, 70, 80, 90, 100, 100, 100], seen);
        Assert.Null(budget.PenaltyUntil(T0.AddSeconds(7)));
    }

    [Fact]
    public void A_light_answer_raises_the_budget_by_at_most_its_own_weight()
    {
        var budget = new WeightBudget(100, TimeSpan.FromMinutes(1), 0.5, TimeSpan.FromSeconds(60), 10, recoveryStep: 10);
        budget.OnRateLimited(T0, null, TimeSpan.FromSeconds(1));

        Assert.Equal(2, budget.OnAnswered(T0.AddSeconds(1), 2, budget.Cuts));
        Assert.Equal(52, budget.EffectiveCapacity(T0.AddSeconds(1)));
    }

    [Fact]
    public void Without_a_step_only_the_penalty_duration_restores_the_budget()
    {
        var budget = Budget();
        budget.OnRateLimited(T0, null, TimeSpan.FromSeconds(1));

        Assert.Equal(0, budget.OnAnswered(T0.AddSeconds(1), 20, budget.Cuts));
        Assert.Equal(50, budget.EffectiveCapacity(T0.AddSeconds(59)));
        Assert.Equal(100, budget.EffectiveCapacity(T0.AddSeconds(60)));
    }

    [Fact]
    public void The_end_of_the_penalty_rearms_the_cut()
    {
        var budget = Budget();
        budget.OnRateLimited(T0, null, TimeSpan.FromSeconds(1));

        var next = budget.OnRateLimited(T0.AddSeconds(61), null, TimeSpan.FromSeconds(1));

        Assert.Equal(new BudgetCut(100, 50), next);
        Assert.Equal(2, budget.Cuts);
    }

    [Fact]
    public void Lowered_capacity_never_goes_below_the_floor()
    {
        var budget = Budget();
        for (var i = 0; i < 20; i++)
        {
            budget.OnRateLimited(T0.AddSeconds(2 * i), null, TimeSpan.FromSeconds(1), budget.Cuts);
            budget.OnAnswered(T0.AddSeconds((2 * i) + 1), 2, budget.Cuts);
        }

        Assert.Equal(20, budget.Cuts);
        Assert.Equal(10, budget.EffectiveCapacity(T0.AddSeconds(40)));
    }

    [Fact]
    public void The_floor_is_clamped_to_the_capacity()
    {
        var budget = new WeightBudget(100, TimeSpan.FromMinutes(1), 0.5, TimeSpan.FromSeconds(60), 300);

        Assert.Equal(100, budget.MinimumCapacity);
        Assert.Equal(new BudgetCut(100, 100), budget.OnRateLimited(T0, null, TimeSpan.FromSeconds(1)));
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
    public void A_cut_below_the_weight_already_in_the_window_waits_until_the_window_drains()
    {
        var budget = Budget();
        for (var i = 0; i < 4; i++)
        {
            Assert.True(budget.TryAcquire(T0.AddSeconds(i), 20, out _));
        }

        budget.OnRateLimited(T0.AddSeconds(4), null, TimeSpan.FromSeconds(1));

        // 80 used, 50 allowed: 20 more fit once 50 of the 80 have left the window (t=0, 1, 2 leave at 60, 61, 62).
        Assert.False(budget.TryAcquire(T0.AddSeconds(5), 20, out var wait));
        Assert.Equal(TimeSpan.FromSeconds(57), wait);
        Assert.False(budget.TryAcquire(T0.AddSeconds(61), 20, out _));
        Assert.True(budget.TryAcquire(T0.AddSeconds(62), 20, out _));
    }

    [Fact]
    public void A_request_waiting_for_a_lowered_budget_goes_when_the_penalty_ends_if_that_comes_first()
    {
        var budget = new WeightBudget(100, TimeSpan.FromMinutes(1), 0.5, TimeSpan.FromSeconds(30), 10);
        Assert.True(budget.TryAcquire(T0, 80, out _));
        budget.OnRateLimited(T0.AddSeconds(1), null, TimeSpan.FromSeconds(1)); // 50 until t=31

        // 20 more fit the nominal 100: they go when the penalty ends (t=31), not when the window frees (t=60).
        Assert.False(budget.TryAcquire(T0.AddSeconds(2), 20, out var wait));
        Assert.Equal(TimeSpan.FromSeconds(29), wait);

        // 30 more fit only once the window has freed: the penalty's end does not help them.
        Assert.False(budget.TryAcquire(T0.AddSeconds(2), 30, out wait));
        Assert.Equal(TimeSpan.FromSeconds(58), wait);

        Assert.True(budget.TryAcquire(T0.AddSeconds(31), 20, out _));
    }

    [Fact]
    public void A_request_heavier_than_the_lowered_budget_waits_until_the_window_is_empty_then_goes_alone()
    {
        var budget = Budget();
        Assert.True(budget.TryAcquire(T0, 20, out _));
        Assert.True(budget.TryAcquire(T0.AddSeconds(10), 20, out _));
        budget.OnRateLimited(T0.AddSeconds(11), null, TimeSpan.FromSeconds(1)); // 50

        Assert.False(budget.TryAcquire(T0.AddSeconds(12), 60, out var wait));
        Assert.Equal(TimeSpan.FromSeconds(58), wait); // the window is empty at t=70
        Assert.True(budget.TryAcquire(T0.AddSeconds(70), 60, out _));
    }

    [Fact]
    public void Random_storms_keep_the_budget_between_floor_and_nominal_with_one_cut_per_signal()
    {
        var random = new Random(1234);
        var budget = new WeightBudget(1200, TimeSpan.FromMinutes(1), 0.5, TimeSpan.FromSeconds(60), 300, recoveryStep: 10);
        var now = T0;
        var answeredSinceCut = true;
        for (var i = 0; i < 5000; i++)
        {
            now = now.AddMilliseconds(random.Next(0, 3000));
            var generation = budget.Cuts - random.Next(0, 2); // now and then an answer from before the last cut
            var penalised = budget.PenaltyUntil(now) is not null;
            if (random.Next(4) == 0)
            {
                var cut = budget.OnRateLimited(now, null, TimeSpan.FromSeconds(1), generation);
                if (cut is not null)
                {
                    Assert.True(answeredSinceCut || !penalised, $"second cut at step {i} without an answer in between");
                    Assert.True(cut.Value.To >= 300 && cut.Value.To <= cut.Value.From);
                    answeredSinceCut = false;
                }
            }
            else
            {
                budget.OnAnswered(now, random.Next(2) == 0 ? 2 : 20, generation);
                answeredSinceCut |= generation == budget.Cuts;
            }

            Assert.InRange(budget.EffectiveCapacity(now), 300, 1200);
        }

        Assert.InRange(budget.Cuts, 2, 5000);
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
