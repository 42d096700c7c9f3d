using FsCheck;
using FsCheck.Fluent;
using HyperFunctions.Domain.Copy;
using HyperFunctions.Domain.Execution;

namespace HyperFunctions.Domain.Tests.Copy;

public sealed class CopyRulesTests
{
    private static readonly CopyPlan Plan = new(0.5m, 0.01m, new Dictionary<string, CopyCaps> { ["BTC"] = CopyCaps.None, ["ETH"] = new(0.2m, 1m) });

    private static TargetFill Fill(string side = "B", decimal size = 0.01m, string coin = "BTC", string key = "0xabc-7", long time = 1000, long tid = 7) =>
        new(key, coin, side, size, 60000m, time, tid);

    [Fact]
    public void A_fill_becomes_a_market_intent_on_the_same_side_scaled_and_rounded_down_with_a_cloid_from_the_fill_key()
    {
        var d = CopyRules.Map(Fill("A", 0.0123m), Plan, szDecimals: 3, position: 0m);
        Assert.True(d.Copied);
        var i = d.Intent!;
        Assert.Equal((OrderSide.Sell, 0.006m, OrderType.Market, 0.01m, TimeInForce.Ioc, false), (i.Side, i.Size, i.Type, i.Slippage, i.Tif, i.ReduceOnly));
        Assert.Equal("copy:0xabc-7", i.SourceKey);
        Assert.Equal(ClientOrderId.FromSourceKey("copy:0xabc-7"), i.Cloid);
        Assert.Null(d.CappedBy);
        Assert.Equal("0.001", CopyRules.Map(Fill(size: 0.002m), Plan, 5, 0m).Intent!.Size.ToString(System.Globalization.CultureInfo.InvariantCulture)); // no trailing zeros
    }

    [Fact]
    public void Skips_name_their_reason()
    {
        Assert.Equal(CopySkip.ZeroSize, CopyRules.Map(Fill(size: 0.001m), Plan, 3, 0m).Skip); // 0.0005 rounds down to 0
        Assert.Equal(CopySkip.CoinNotConfigured, CopyRules.Map(Fill(coin: "SOL"), Plan, 2, 0m).Skip);
        Assert.Equal(CopySkip.CoinNotListed, CopyRules.Map(Fill(), Plan, null, 0m).Skip);
        Assert.Equal(CopySkip.BadFill, CopyRules.Map(Fill(side: "X"), Plan, 3, 0m).Skip);
        Assert.Equal(CopySkip.PositionCap, CopyRules.Map(Fill(coin: "ETH", size: 1m), Plan, 4, 1m).Skip); // long 1 = the cap: no room to buy
        Assert.Equal("position_cap", CopySkip.PositionCap.ToWire());
    }

    [Fact]
    public void Caps_cut_the_order_and_say_which()
    {
        var order = CopyRules.Map(Fill(coin: "ETH", size: 2m), Plan, 4, 0m); // 1.0 → MaxOrderSize 0.2
        Assert.Equal((0.2m, "maxOrderSize"), (order.Intent!.Size, order.CappedBy));
        var position = CopyRules.Map(Fill(coin: "ETH", size: 0.3m), Plan, 4, 0.9m); // 0.15 → room 0.1
        Assert.Equal((0.1m, "maxPosition"), (position.Intent!.Size, position.CappedBy));
        var reducing = CopyRules.Map(Fill("A", coin: "ETH", size: 0.3m), Plan, 4, 1m); // a sell from the cap is never held by it
        Assert.Equal((OrderSide.Sell, 0.15m, (string?)null), (reducing.Intent!.Side, reducing.Intent.Size, reducing.CappedBy));
    }

    [Fact]
    public void Cursor_order_is_time_then_tid_then_key_and_pending_fills_stop_at_the_bound()
    {
        var at = new CopyPosition(1000, 5, "h-5");
        Assert.False(CopyRules.IsAfter(Fill(time: 1000, tid: 5, key: "h-5"), at));
        Assert.True(CopyRules.IsAfter(Fill(time: 1000, tid: 6, key: "h-6"), at));
        Assert.False(CopyRules.IsAfter(Fill(time: 1000, tid: 9, key: "h-9"), CopyPosition.At(1000)));
        Assert.True(CopyRules.IsAfter(Fill(time: 1001, tid: 1, key: "h-1"), at));
        var fills = new[] { Fill(time: 1003, tid: 1, key: "c-1"), Fill(time: 1001, tid: 2, key: "a-2"), Fill(time: 1000, tid: 5, key: "h-5"), Fill(time: 1001, tid: 1, key: "b-1"), Fill(time: 1001, tid: 1, key: "b-1") };
        Assert.Equal(["b-1", "a-2"], CopyRules.Pending(fills, at, upToTime: 1002, limit: 10).Select(f => f.Key));
        Assert.Equal(["b-1"], CopyRules.Pending(fills, at, upToTime: 2000, limit: 1).Select(f => f.Key));
    }

    private static Gen<(TargetFill Fill, decimal Ratio, int Decimals, decimal? MaxOrder, decimal? MaxPosition, decimal Position)> Cases { get; } =
        from side in Gen.Elements("B", "A")
        from size in Gen.Choose(1, 5_000_000).Select(n => n / 100_000m)
        from ratio in Gen.Choose(1, 40_000).Select(n => n / 10_000m)
        from decimals in Gen.Choose(0, 5)
        from maxOrder in Gen.Elements<decimal?>(null, 0.001m, 0.05m, 1m, 17m)
        from maxPosition in Gen.Elements<decimal?>(null, 0.01m, 0.5m, 3m)
        from position in Gen.Choose(-400, 400).Select(n => n / 100m)
        from tid in Gen.Choose(1, 1_000_000)
        select (new TargetFill($"0xh{tid}-{tid}", "BTC", side, size, 100m, 1000 + tid, tid), ratio, decimals, maxOrder, maxPosition, position);

    [Fact]
    public void A_mirrored_order_never_exceeds_the_caps_nor_the_scaled_size_and_keeps_the_side() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), Prop.ForAll(Cases.ToArbitrary(), c =>
        {
            var plan = new CopyPlan(c.Ratio, 0.01m, new Dictionary<string, CopyCaps> { ["BTC"] = new(c.MaxOrder, c.MaxPosition) });
            var d = CopyRules.Map(c.Fill, plan, c.Decimals, c.Position);
            if (d.Intent is not { } i)
            {
                Assert.NotNull(d.Skip);
                return;
            }
            Assert.True(i.Size > 0);
            Assert.True(i.Size <= c.Fill.Size * c.Ratio, "never more than size × ratio");
            Assert.Equal(i.Size, decimal.Round(i.Size, c.Decimals)); // on the coin's size grid
            Assert.Equal(c.Fill.Side == "B" ? OrderSide.Buy : OrderSide.Sell, i.Side);
            if (c.MaxOrder is { } mo) Assert.True(i.Size <= mo);
            if (c.MaxPosition is { } mp)
            {
                var after = c.Position + i.SignedSize;
                Assert.True(Math.Abs(after) <= mp || Math.Abs(after) < Math.Abs(c.Position), $"position {c.Position} → {after} passes the cap {mp} while growing");
            }
            if (d.CappedBy is null) Assert.Equal(CopyRules.RoundDown(c.Fill.Size * c.Ratio, c.Decimals), i.Size); // uncut: exactly the scaled size, rounded down
        }));

    [Fact]
    public void The_same_fill_always_gives_the_same_cloid_and_different_fills_different_ones() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(Cases.ToArbitrary(), Cases.ToArbitrary(), (a, b) =>
        {
            var plan = new CopyPlan(1m, 0.01m, new Dictionary<string, CopyCaps> { ["BTC"] = CopyCaps.None });
            var first = CopyRules.Map(a.Fill, plan, 5, 0m);
            var again = CopyRules.Map(a.Fill, plan with { Ratio = 2m }, 5, 1m); // a replay under other circumstances: same cloid
            if (first.Intent is null || again.Intent is null) return;
            Assert.Equal(first.Intent.Cloid, again.Intent.Cloid);
            var other = CopyRules.Map(b.Fill, plan, 5, 0m);
            if (other.Intent is not null && a.Fill.Key != b.Fill.Key) Assert.NotEqual(first.Intent.Cloid, other.Intent.Cloid);
        }));

    [Fact]
    public void Scaling_is_linear_in_the_ratio_before_rounding() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(Cases.ToArbitrary(), c =>
        {
            var plan = new CopyPlan(c.Ratio, 0.01m, new Dictionary<string, CopyCaps> { ["BTC"] = CopyCaps.None });
            var d = CopyRules.Map(c.Fill, plan, c.Decimals, c.Position);
            var exact = c.Fill.Size * c.Ratio;
            var step = 1m / (decimal)Math.Pow(10, c.Decimals);
            if (d.Intent is { } i) Assert.True(exact - i.Size is >= 0 && exact - i.Size < step, $"{exact} → {i.Size}");
            else Assert.True(exact < step && d.Skip == CopySkip.ZeroSize);
        }));
}
