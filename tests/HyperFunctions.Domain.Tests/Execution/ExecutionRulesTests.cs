using FsCheck;
using FsCheck.Fluent;
using HyperFunctions.Domain.Execution;
using HyperFunctions.Domain.Safety;

namespace HyperFunctions.Domain.Tests.Execution;

public sealed class OrderIntentRulesTests
{
    private static OrderIntentDraft Limit(string? coin = "BTC", string? side = "buy", decimal? size = 0.01m, decimal? px = 60000m) =>
        new(coin, side, size, "limit", px, null, null, false, null);

    [Fact]
    public void A_limit_intent_validates_with_Gtc_by_default_and_a_derived_cloid()
    {
        var (intent, errors) = OrderIntentRules.Validate(Limit(), "api:k1");
        Assert.Empty(errors);
        Assert.Equal(TimeInForce.Gtc, intent!.Tif);
        Assert.Equal(ClientOrderId.FromSourceKey("api:k1"), intent.Cloid);
        Assert.Matches("^0x[0-9a-f]{32}$", intent.Cloid);
    }

    [Fact]
    public void Each_bad_field_is_named()
    {
        var (intent, errors) = OrderIntentRules.Validate(new OrderIntentDraft("B TC", "long", -1m, "stop", null, null, "Fok", false, "0x12"), "k");
        Assert.Null(intent);
        Assert.Equal(["cloid", "coin", "side", "size", "tif", "type"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Limit_needs_limitPrice_and_market_needs_slippage_and_neither_takes_the_other()
    {
        Assert.Equal(["limitPrice"], OrderIntentRules.Validate(Limit(px: null), "k").Errors.Keys);
        Assert.Equal(["slippage"], OrderIntentRules.Validate(Limit() with { Slippage = 0.01m }, "k").Errors.Keys);
        var market = new OrderIntentDraft("ETH", "sell", 1m, "market", null, null, null, false, null);
        Assert.Equal(["slippage"], OrderIntentRules.Validate(market, "k").Errors.Keys);
        Assert.Equal(["limitPrice"], OrderIntentRules.Validate(market with { Slippage = 0.01m, LimitPrice = 1m }, "k").Errors.Keys);
        Assert.Equal(["tif"], OrderIntentRules.Validate(market with { Slippage = 0.01m, Tif = "Gtc" }, "k").Errors.Keys);
        Assert.Equal(["slippage"], OrderIntentRules.Validate(market with { Slippage = 0.9m }, "k").Errors.Keys);
        var (ok, _) = OrderIntentRules.Validate(market with { Slippage = 0.01m }, "k");
        Assert.Equal((OrderType.Market, TimeInForce.Ioc, (decimal?)null), (ok!.Type, ok.Tif, ok.LimitPrice));
    }

    [Fact]
    public void A_given_cloid_is_kept_lowercased()
    {
        var (intent, _) = OrderIntentRules.Validate(Limit() with { Cloid = "0x" + new string('A', 32) }, "k");
        Assert.Equal("0x" + new string('a', 32), intent!.Cloid);
    }

    [Fact]
    public void Cloid_is_deterministic_per_source_key_and_well_formed_for_any_key() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(ArbMap.Default.ArbFor<NonNull<string>>(), ArbMap.Default.ArbFor<NonNull<string>>(), (a, b) =>
        {
            var first = ClientOrderId.FromSourceKey(a.Get);
            Assert.Equal(first, ClientOrderId.FromSourceKey(a.Get));
            Assert.True(ClientOrderId.IsValid(first));
            Assert.Equal(first, first.ToLowerInvariant());
            if (a.Get != b.Get) Assert.NotEqual(first, ClientOrderId.FromSourceKey(b.Get));
        }));

    [Fact]
    public void A_valid_intent_round_trips_through_its_draft() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), Prop.ForAll(Drafts.ToArbitrary(), draft =>
        {
            var (intent, errors) = OrderIntentRules.Validate(draft, "src");
            Assert.Empty(errors);
            Assert.Equal(intent, OrderIntentRules.Validate(OrderIntentRules.ToDraft(intent!), "src").Intent);
        }));

    private static Gen<OrderIntentDraft> Drafts { get; } =
        from coin in Gen.Elements("BTC", "ETH", "kPEPE", "@107")
        from side in Gen.Elements("buy", "sell", "BUY")
        from size in Gen.Choose(1, 1_000_000).Select(n => n / 10_000m)
        from market in Gen.Elements(true, false)
        from px in Gen.Choose(1, 100_000).Select(n => (decimal)n)
        from tif in Gen.Elements<string?>(null, "Gtc", "Ioc", "Alo")
        from reduce in Gen.Elements(true, false)
        select market
            ? new OrderIntentDraft(coin, side, size, "market", null, 0.01m, null, reduce, null)
            : new OrderIntentDraft(coin, side, size, "limit", px, null, tif, reduce, null);
}

public sealed class ExecutionRulesTests
{
    private static OrderIntent Intent(OrderSide side, decimal size, bool reduceOnly = false, decimal? px = 100m) =>
        new(ClientOrderId.FromSourceKey("t"), "t", "BTC", side, size, OrderType.Limit, px, null, TimeInForce.Gtc, reduceOnly);

    private static ExecutionVerdict Decide(SafetyMode mode, OrderIntent intent, decimal position, ExecutionLimits? limits = null) =>
        ExecutionRules.Decide(intent, mode, r => OrderGate.Evaluate(mode, r), position, intent.LimitPrice, limits ?? ExecutionLimits.None);

    [Theory]
    [InlineData(1, OrderSide.Sell, 1, true)]
    [InlineData(1, OrderSide.Sell, 0.5, true)]
    [InlineData(1, OrderSide.Sell, 1.5, false)] // would flip the position
    [InlineData(1, OrderSide.Buy, 0.5, false)]
    [InlineData(-2, OrderSide.Buy, 2, true)]
    [InlineData(0, OrderSide.Sell, 1, false)]
    public void Reduces_only_on_the_other_side_and_never_past_flat(double position, OrderSide side, double size, bool reduces) =>
        Assert.Equal(reduces, ExecutionRules.Reduces((decimal)position, side, (decimal)size));

    [Fact]
    public void ARMED_LIVE_sends_everything_ARMED_SAFE_only_what_reduces_HALT_nothing()
    {
        Assert.True(Decide(SafetyMode.ArmedLive, Intent(OrderSide.Buy, 1), 0).Send);
        Assert.False(Decide(SafetyMode.ArmedLive, Intent(OrderSide.Buy, 1), 0).ForceReduceOnly);

        var increase = Decide(SafetyMode.ArmedSafe, Intent(OrderSide.Buy, 1, reduceOnly: false), 1);
        Assert.False(increase.Send);
        Assert.Contains("ARMED_SAFE", increase.Reason, StringComparison.Ordinal);
        var reduce = Decide(SafetyMode.ArmedSafe, Intent(OrderSide.Sell, 1), 1);
        Assert.True(reduce.Send);
        Assert.True(reduce.ForceReduceOnly); // the venue enforces it too

        Assert.False(Decide(SafetyMode.Halt, Intent(OrderSide.Sell, 1), 1).Send);
    }

    [Fact]
    public void A_reduceOnly_flag_that_would_not_reduce_is_blocked_in_every_mode()
    {
        foreach (var mode in Enum.GetValues<SafetyMode>())
            Assert.False(Decide(mode, Intent(OrderSide.Buy, 1, reduceOnly: true), 1).Send);
    }

    [Fact]
    public void Limits_block_with_their_reason_and_a_reducing_order_is_not_held_by_the_position_limit()
    {
        var notional = Decide(SafetyMode.ArmedLive, Intent(OrderSide.Buy, 2, px: 100m), 0, new ExecutionLimits(150m, null));
        Assert.Equal((false, true), (notional.Send, notional.Reason.Contains("MaxNotional", StringComparison.Ordinal)));
        var position = Decide(SafetyMode.ArmedLive, Intent(OrderSide.Buy, 2), 5, new ExecutionLimits(null, 6m));
        Assert.Equal((false, true), (position.Send, position.Reason.Contains("MaxPositionPerCoin", StringComparison.Ordinal)));
        Assert.True(Decide(SafetyMode.ArmedLive, Intent(OrderSide.Sell, 2), 10, new ExecutionLimits(null, 6m)).Send);
    }

    [Fact]
    public void In_ARMED_SAFE_nothing_that_grows_the_absolute_position_is_ever_sent() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(SafeCases.ToArbitrary(), c =>
        {
            var intent = Intent(c.Side, c.Size, c.ReduceOnly);
            var verdict = Decide(SafetyMode.ArmedSafe, intent, c.Position);
            if (verdict.Send) Assert.True(Math.Abs(c.Position + intent.SignedSize) < Math.Abs(c.Position) && verdict.ForceReduceOnly);
        }));

    private static Gen<(decimal Position, decimal Size, OrderSide Side, bool ReduceOnly)> SafeCases { get; } =
        from position in Gen.Choose(-50, 50)
        from size in Gen.Choose(1, 60)
        from side in Gen.Elements(OrderSide.Buy, OrderSide.Sell)
        from reduceOnly in Gen.Elements(true, false)
        select ((decimal)position, (decimal)size, side, reduceOnly);
}

public sealed class OrderStatusTests
{
    [Fact]
    public void Only_RECEIVED_SENDING_and_UNKNOWN_are_acted_on_again()
    {
        Assert.Equal([OrderStatus.Received, OrderStatus.Sending, OrderStatus.Unknown], Enum.GetValues<OrderStatus>().Where(s => !s.IsTerminal()));
        Assert.Equal("DRY_RUN", OrderStatus.DryRun.ToWire());
    }
}

public sealed class IntentExpiryTests
{
    private static readonly DateTimeOffset Submitted = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_intent_is_sendable_up_to_the_maximum_age_inclusive_and_expired_after_it()
    {
        var max = TimeSpan.FromSeconds(300);
        Assert.Null(ExecutionRules.WhyExpired(Submitted, Submitted, max));
        Assert.Null(ExecutionRules.WhyExpired(Submitted, Submitted + max, max));
        var why = ExecutionRules.WhyExpired(Submitted, Submitted + max + TimeSpan.FromSeconds(1), max);
        Assert.Equal("INTENT_EXPIRED: submitted 301 s ago, more than Execution:MaxIntentAgeSeconds (300); not sent. Submit a new intent (a new cloid) if it still stands.", why);
    }

    [Fact]
    public void Zero_means_no_limit_and_a_clock_behind_the_submission_never_expires_an_intent()
    {
        Assert.Null(ExecutionRules.WhyExpired(Submitted, Submitted.AddDays(30), TimeSpan.Zero));
        Assert.Null(ExecutionRules.WhyExpired(Submitted, Submitted.AddSeconds(-5), TimeSpan.FromSeconds(1)));
    }
}

public sealed class AverageFillPriceTests
{
    [Fact]
    public void Fills_that_add_up_to_the_filled_size_give_the_size_weighted_average()
    {
        Assert.Equal(100.75m, ExecutionRules.AverageFillPrice([(100m, 0.3m), (101m, 0.9m)], 1.2m));
        Assert.Equal(60000m, ExecutionRules.AverageFillPrice([(60000m, 0.001m)], 0.001m));
    }

    [Fact]
    public void Fills_that_do_not_add_up_give_no_price_rather_than_a_wrong_one()
    {
        Assert.Null(ExecutionRules.AverageFillPrice([(100m, 0.3m)], 1.2m)); // a fill older than the page, say
        Assert.Null(ExecutionRules.AverageFillPrice([(100m, 0.3m), (100m, 0.3m)], 0.3m)); // more than the venue filled
        Assert.Null(ExecutionRules.AverageFillPrice([], 0m));
    }
}
