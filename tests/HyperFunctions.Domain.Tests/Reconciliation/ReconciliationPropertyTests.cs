using FsCheck;
using FsCheck.Fluent;
using HyperFunctions.Domain.Reconciliation;

namespace HyperFunctions.Domain.Tests.Reconciliation;

public sealed class ReconciliationPropertyTests
{
    private static readonly Config Thorough = Config.QuickThrowOnFailure.WithMaxTest(300);
    private static readonly string[] Coins = ["BTC", "ETH", "SOL"];
    private static readonly ReconciliationThresholds Limits = ReconciliationThresholds.Default with { ConfirmRuns = 1 };
    private const long AsOf = 1_000;

    private static Gen<decimal> Size { get; } = Gen.Choose(1, 100_000).Select(n => n / 10_000m); // 0.0001 .. 10, venue-like steps

    private static Gen<BookFill> Fill { get; } =
        from coin in Gen.Elements(Coins)
        from size in Size
        from buy in Gen.Elements(true, false)
        from time in Gen.Choose(0, 3_000)
        from tid in Gen.Choose(1, 1_000_000)
        select new BookFill(coin, size, buy, time, $"0xh-{tid}");

    private static Gen<PositionBaseline> Baseline { get; } =
        from sizes in Gen.ListOf(from coin in Gen.Elements(Coins) from size in Size from sign in Gen.Elements(1m, -1m) select KeyValuePair.Create(coin, size * sign))
        select new PositionBaseline(PositionBaseline.Normalize(sizes), AsOf, BaselineSources.Initial, null, "test", DateTimeOffset.UnixEpoch, null);

    private static Gen<(PositionBaseline Baseline, List<BookFill> Fills)> Scenario { get; } =
        from baseline in Baseline
        from fills in Gen.ListOf(Fill)
        select (baseline, fills.DistinctBy(f => f.Key).ToList());

    /// <summary>The venue as the matching engine would report it: the baseline plus every fill after it up to its own time.</summary>
    private static SortedDictionary<string, decimal> Venue(PositionBaseline baseline, IEnumerable<BookFill> fills, long until) =>
        PositionBaseline.Normalize(baseline.Sizes.Concat(fills.Where(f => f.TimeMs > baseline.AsOfMs && f.TimeMs <= until).Select(f => KeyValuePair.Create(f.Coin, f.Signed))));

    [Fact]
    public void Baseline_plus_all_fills_equal_to_the_venue_is_ok_everywhere()
    {
        Check.One(Thorough, Prop.ForAll(Scenario.ToArbitrary(), s =>
        {
            var book = PositionBook.Compute(s.Baseline, s.Fills, 2_000);
            var outcome = ReconciliationRule.Compare(Venue(s.Baseline, s.Fills, 2_000), book.Sizes, s.Baseline.Sizes.Keys, Limits, new Dictionary<string, int>());
            return outcome.Verdict == ReconciliationVerdict.Ok && outcome.Symbols.All(x => x.Drift == 0m);
        }));
    }

    [Fact]
    public void Replaying_or_reordering_the_same_fills_never_changes_the_book_or_the_verdict()
    {
        var gen = from s in Scenario
                  from replayed in Gen.Shuffle(s.Fills.Concat(s.Fills.Take(s.Fills.Count / 2)).ToArray())
                  from venue in Gen.ListOf(from coin in Gen.Elements(Coins) from size in Size select KeyValuePair.Create(coin, size))
                  select (s.Baseline, s.Fills, Replayed: replayed, Venue: PositionBaseline.Normalize(venue));
        Check.One(Thorough, Prop.ForAll(gen.ToArbitrary(), x =>
        {
            var once = PositionBook.Compute(x.Baseline, x.Fills, 2_000);
            var again = PositionBook.Compute(x.Baseline, x.Replayed, 2_000);
            var a = ReconciliationRule.Compare(x.Venue, once.Sizes, [], Limits, new Dictionary<string, int>());
            var b = ReconciliationRule.Compare(x.Venue, again.Sizes, [], Limits, new Dictionary<string, int>());
            return once.Sizes.SequenceEqual(again.Sizes) && once.FillsCounted == again.FillsCounted && a.Verdict == b.Verdict && a.Symbols.SequenceEqual(b.Symbols);
        }));
    }

    [Fact]
    public void A_missed_fill_shows_up_as_a_difference_of_exactly_its_size()
    {
        var gen = from s in Scenario
                  from missed in Fill
                  where missed.TimeMs > AsOf && missed.TimeMs <= 2_000 && s.Fills.All(f => f.Key != missed.Key)
                  select (s.Baseline, s.Fills, Missed: missed);
        Check.One(Thorough, Prop.ForAll(gen.ToArbitrary(), x =>
        {
            var venue = Venue(x.Baseline, x.Fills.Append(x.Missed), 2_000);
            var book = PositionBook.Compute(x.Baseline, x.Fills, 2_000);
            var outcome = ReconciliationRule.Compare(venue, book.Sizes, [x.Missed.Coin], Limits, new Dictionary<string, int>());
            var symbol = outcome.Symbols.Single(s => s.Coin == x.Missed.Coin);
            // Whether it is big enough to count is the thresholds' business; its size is always exact.
            return symbol.Drift == x.Missed.Size && (symbol.Observed != ReconciliationVerdict.Ok) == (symbol.Relative > Limits.DriftRatio);
        }));
    }

    [Fact]
    public void A_fill_in_flight_that_the_keeper_stores_by_the_next_run_never_reaches_the_ledger()
    {
        var limits = ReconciliationThresholds.Default; // ConfirmRuns 2
        var gen = from s in Scenario
                  from late in Fill
                  where late.TimeMs > AsOf && late.TimeMs <= 2_000 && s.Fills.All(f => f.Key != late.Key)
                  select (s.Baseline, s.Fills, Late: late);
        Check.One(Thorough, Prop.ForAll(gen.ToArbitrary(), x =>
        {
            var venue = Venue(x.Baseline, x.Fills.Append(x.Late), 2_000);
            var first = ReconciliationRule.Compare(venue, PositionBook.Compute(x.Baseline, x.Fills, 2_000).Sizes, [], limits, new Dictionary<string, int>());
            var second = ReconciliationRule.Compare(venue, PositionBook.Compute(x.Baseline, x.Fills.Append(x.Late), 2_000).Sizes, [], limits,
                first.Symbols.ToDictionary(s => s.Coin, s => s.Streak));
            return first.Verdict is ReconciliationVerdict.Ok or ReconciliationVerdict.Settling && second.Verdict == ReconciliationVerdict.Ok;
        }));
    }

    [Fact]
    public void Classification_is_symmetric_and_never_milder_as_the_difference_grows()
    {
        var gen = from v in Size from l in Size from extra in Size from sign in Gen.Elements(1m, -1m) select (Venue: v * sign, Local: l * sign, Extra: extra * sign);
        Check.One(Thorough, Prop.ForAll(gen.ToArbitrary(), x =>
        {
            var here = ReconciliationRule.Classify(x.Venue, x.Local, Limits);
            var swapped = ReconciliationRule.Classify(x.Local, x.Venue, Limits);
            // Moving the venue further away from the local side (same sign) never makes the finding milder.
            var further = x.Venue - x.Local >= 0 == x.Extra >= 0 ? ReconciliationRule.Classify(x.Venue + x.Extra, x.Local, Limits) : here;
            return here == swapped && further >= here;
        }));
    }
}
