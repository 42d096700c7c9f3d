using FsCheck;
using FsCheck.Fluent;
using HyperFunctions.Domain.Copy;

namespace HyperFunctions.Domain.Tests.Copy;

/// <summary>The MaxPosition cap judged against the venue position and the mirrored orders still on their way.</summary>
public sealed class CopyExposureTests
{
    private static CopyPlan Plan(decimal maxPosition, decimal? maxOrder = null) =>
        new(1m, 0.01m, new Dictionary<string, CopyCaps> { ["BTC"] = new(maxOrder, maxPosition) });

    private static TargetFill Fill(string side, decimal size, int n) => new($"0xh{n}-{n}", "BTC", side, size, 60000m, 1000 + n, n);

    private static Dictionary<string, decimal> Venue(decimal btc) => new() { ["BTC"] = btc };

    [Fact]
    public void Two_batches_before_the_first_is_executed_do_not_pass_the_cap_together()
    {
        // Own account 0.001 short, cap 0.001: a 0.002 buy ends exactly at +0.001.
        var plan = Plan(0.001m);
        var first = CopyRules.Map(Fill("B", 0.002m, 1), plan, 5, new CopyExposure(Venue(-0.001m), []).Of("BTC"));
        Assert.Equal(0.002m, first.Intent!.Size);
        var queued = new OpenCopyOrder(first.Intent.Cloid, "BTC", first.Intent.SignedSize);

        // The second batch, the first order still in the queue: the venue still says -0.001.
        var exposure = new CopyExposure(Venue(-0.001m), [queued]);
        Assert.Equal(new PositionRange(-0.001m, 0.001m), exposure.Of("BTC"));
        var second = CopyRules.Map(Fill("B", 0.002m, 3), plan, 5, exposure.Of("BTC"));
        Assert.Equal(CopySkip.PositionCap, second.Skip);
        Assert.Contains("-0.001 to 0.001 (with mirrored orders on their way)", second.Detail, StringComparison.Ordinal);
        // Judged against the venue alone (the gap this closes) the buy would go out and end at +0.003.
        Assert.Equal(0.002m, CopyRules.Map(Fill("B", 0.002m, 3), plan, 5, -0.001m).Intent!.Size);
    }

    [Fact]
    public void A_queued_buy_makes_no_room_for_a_sell_because_it_may_be_rejected()
    {
        var plan = Plan(0.01m);
        var exposure = new CopyExposure(Venue(-0.01m), [new OpenCopyOrder("0x01", "BTC", 0.01m)]);
        Assert.Equal(CopySkip.PositionCap, CopyRules.Map(Fill("A", 0.005m, 1), plan, 5, exposure.Of("BTC")).Skip);
        // A sell from the long side still has its room, to -max from the lowest end.
        var fromLong = new CopyExposure(Venue(0.01m), [new OpenCopyOrder("0x02", "BTC", -0.004m)]);
        Assert.Equal(0.016m, CopyRules.Map(Fill("A", 1m, 2), plan, 5, fromLong.Of("BTC")).Intent!.Size);
    }

    [Fact]
    public void One_cloid_counts_once_and_each_coin_on_its_own()
    {
        var exposure = new CopyExposure(Venue(0.5m), [new OpenCopyOrder("0x01", "BTC", 0.1m), new OpenCopyOrder("0x01", "BTC", 0.1m), new OpenCopyOrder("0x02", "ETH", -2m)]);
        Assert.Equal(2, exposure.Counted);
        Assert.False(exposure.Add(new OpenCopyOrder("0x01", "BTC", 0.1m))); // the batch submitting a recorded, still open intent again
        Assert.True(exposure.Add(new OpenCopyOrder("0x03", "BTC", -0.3m)));
        Assert.Equal(new PositionRange(0.2m, 0.6m), exposure.Of("BTC"));
        Assert.Equal(new PositionRange(-2m, 0m), exposure.Of("ETH"));
        Assert.Equal(PositionRange.At(0m), exposure.Of("SOL"));
        Assert.Equal("0", PositionRange.At(0m).ToString());
    }

    private abstract record Step;

    /// <summary>The target trades (a fill the next batch reads).</summary>
    private sealed record Trade(bool Buy, decimal Size) : Step;

    /// <summary>A copy batch runs over the fills since the last one.</summary>
    private sealed record Batch : Step;

    /// <summary>The executor finishes one order on its way: all of it fills, part of it, or none (IOC rejected).</summary>
    private sealed record Done(int Pick, decimal Filled) : Step;

    private static Gen<Step> AnyStep { get; } = Gen.OneOf(
        from buy in Gen.Elements(true, false) from n in Gen.Choose(1, 400) select (Step)new Trade(buy, n / 10_000m),
        Gen.Constant((Step)new Batch()),
        from pick in Gen.Choose(0, 1000) from filled in Gen.Elements(0m, 0.5m, 1m, 1m) select (Step)new Done(pick, filled));

    private static Gen<(decimal Cap, decimal? MaxOrder, decimal Start, List<Step> Steps)> Scenario { get; } =
        from cap in Gen.Elements(0.001m, 0.005m, 0.02m)
        from maxOrder in Gen.Elements<decimal?>(null, 0.003m, 0.01m)
        from start in Gen.Choose(-100, 100).Select(n => Math.Round(cap * n / 100m, 5))
        from steps in Gen.ListOf(AnyStep)
        select (cap, maxOrder, start, steps.ToList());

    [Fact]
    public void For_any_fills_batches_and_outcomes_the_position_never_passes_the_cap()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), Prop.ForAll(Scenario.ToArbitrary(), s =>
        {
            var plan = Plan(s.Cap, s.MaxOrder);
            var venue = s.Start;
            var open = new List<OpenCopyOrder>();
            var unread = new List<TargetFill>();
            var n = 0;
            foreach (var step in s.Steps)
            {
                switch (step)
                {
                    case Trade t:
                        unread.Add(Fill(t.Buy ? "B" : "A", t.Size, ++n));
                        break;
                    case Batch:
                        var exposure = new CopyExposure(Venue(venue), open);
                        foreach (var fill in unread)
                        {
                            if (CopyRules.Map(fill, plan, 5, exposure.Of("BTC")).Intent is not { } intent) continue;
                            var order = new OpenCopyOrder(intent.Cloid, intent.Coin, intent.SignedSize);
                            open.Add(order);
                            exposure.Add(order);
                        }
                        unread.Clear();
                        break;
                    case Done d when open.Count > 0:
                        var finished = open[d.Pick % open.Count];
                        open.Remove(finished);
                        venue += CopyRules.RoundDown(finished.SignedSize * d.Filled, 5);
                        break;
                }
                // Whatever happens next to the orders on their way, the position stays within the cap.
                var highest = venue + open.Where(o => o.SignedSize > 0).Sum(o => o.SignedSize);
                var lowest = venue + open.Where(o => o.SignedSize < 0).Sum(o => o.SignedSize);
                Assert.True(Math.Abs(venue) <= s.Cap, $"position {venue} passed the cap {s.Cap}");
                Assert.True(highest <= s.Cap && lowest >= -s.Cap, $"position {venue} with orders on their way could reach {lowest}..{highest}, past the cap {s.Cap}");
            }
        }));
    }
}
