using HyperFunctions.Domain.Checks;
using HyperFunctions.Domain.Reconciliation;
using HyperFunctions.Domain.Safety;

namespace HyperFunctions.Domain.Tests.Reconciliation;

public sealed class ReconciliationRuleTests
{
    private static readonly ReconciliationThresholds Limits = new(0.001m, 0m, 0.05m, ConfirmRuns: 1);
    private static readonly Dictionary<string, int> NoStreaks = [];

    private static PositionBaseline Baseline(long asOf, params (string Coin, decimal Size)[] sizes) =>
        new(sizes.ToDictionary(s => s.Coin, s => s.Size), asOf, BaselineSources.Initial, null, "test", DateTimeOffset.UnixEpoch, null);

    [Theory]
    [InlineData("1", "1", ReconciliationVerdict.Ok)]
    [InlineData("0", "0", ReconciliationVerdict.Ok)]
    [InlineData("1", "1.001", ReconciliationVerdict.Ok)] // 0.0999 % of 1.001: not above 0.1 %
    [InlineData("1", "1.002", ReconciliationVerdict.Drift)]
    [InlineData("-2", "-2.1", ReconciliationVerdict.Drift)] // 0.1 / 2.1 = 4.76 %
    [InlineData("-2", "-2.2", ReconciliationVerdict.Critical)] // 9.1 %
    [InlineData("0", "0.001", ReconciliationVerdict.Critical)] // one side only
    [InlineData("0.001", "0", ReconciliationVerdict.Critical)]
    [InlineData("1", "-1", ReconciliationVerdict.Critical)] // 200 %
    public void Classifies_by_relative_drift_and_one_sided_positions(string venue, string local, ReconciliationVerdict expected) =>
        Assert.Equal(expected, ReconciliationRule.Classify(decimal.Parse(venue, System.Globalization.CultureInfo.InvariantCulture), decimal.Parse(local, System.Globalization.CultureInfo.InvariantCulture), Limits));

    [Fact]
    public void Exactly_the_ratio_is_not_above_it()
    {
        Assert.Equal(ReconciliationVerdict.Ok, ReconciliationRule.Classify(1000m, 999m, Limits)); // 0.1 % exactly
        Assert.Equal(ReconciliationVerdict.Drift, ReconciliationRule.Classify(100m, 95m, Limits)); // 5 % exactly: drift, not critical
    }

    [Fact]
    public void A_difference_at_or_below_the_absolute_minimum_is_none_at_every_level()
    {
        var limits = Limits with { MinAbsoluteDrift = 0.01m };
        Assert.Equal(ReconciliationVerdict.Ok, ReconciliationRule.Classify(0.1m, 0.11m, limits)); // 9 % but only 0.01
        Assert.Equal(ReconciliationVerdict.Ok, ReconciliationRule.Classify(0m, 0.005m, limits)); // one-sided dust
        Assert.Equal(ReconciliationVerdict.Critical, ReconciliationRule.Classify(0m, 0.02m, limits));
    }

    [Fact]
    public void The_book_counts_only_fills_after_the_baseline_and_up_to_the_venue_time_once_each()
    {
        var baseline = Baseline(1000, ("BTC", 0.5m));
        BookFill[] fills =
        [
            new("BTC", 0.1m, true, 1000, "h0-1"), // inside the snapshot
            new("BTC", 0.2m, true, 1001, "h1-2"),
            new("BTC", 0.2m, true, 1001, "h1-2"), // the same fill twice
            new("ETH", 1m, false, 1500, "h2-3"),
            new("BTC", 5m, true, 2001, "h3-4"), // after the venue answered
        ];
        var book = PositionBook.Compute(baseline, fills, untilMs: 2000);
        Assert.Equal(0.7m, book.Sizes["BTC"]);
        Assert.Equal(-1m, book.Sizes["ETH"]);
        Assert.Equal(2, book.FillsCounted);
        Assert.Equal("h2-3", book.LastFillKey);
    }

    [Fact]
    public void A_position_closed_by_fills_leaves_the_book_and_matches_a_venue_without_it()
    {
        var book = PositionBook.Compute(Baseline(0, ("ETH", 0.02m)), [new("ETH", 0.02m, false, 5, "a-1")], 10);
        Assert.Empty(book.Sizes);
        var outcome = ReconciliationRule.Compare(new Dictionary<string, decimal>(), book.Sizes, ["ETH"], Limits, NoStreaks);
        var eth = Assert.Single(outcome.Symbols);
        Assert.Equal(ReconciliationVerdict.Ok, eth.Verdict);
        Assert.Equal(ReconciliationVerdict.Ok, outcome.Verdict);
    }

    [Fact]
    public void A_difference_counts_only_once_seen_on_confirm_runs_in_a_row()
    {
        var limits = Limits with { ConfirmRuns = 2 };
        var venue = new Dictionary<string, decimal> { ["BTC"] = 1.01m };
        var local = new Dictionary<string, decimal> { ["BTC"] = 1m };
        var first = ReconciliationRule.Compare(venue, local, [], limits, NoStreaks);
        Assert.Equal(ReconciliationVerdict.Settling, first.Verdict);
        Assert.Equal(ReconciliationVerdict.Drift, first.Symbols[0].Observed);
        var second = ReconciliationRule.Compare(venue, local, [], limits, new Dictionary<string, int> { ["BTC"] = first.Symbols[0].Streak });
        Assert.Equal(ReconciliationVerdict.Drift, second.Verdict);
        Assert.Equal(2, second.Symbols[0].Streak);
        // The keeper caught up: the streak ends.
        var third = ReconciliationRule.Compare(venue, venue, [], limits, new Dictionary<string, int> { ["BTC"] = 2 });
        Assert.Equal((ReconciliationVerdict.Ok, 0), (third.Verdict, third.Symbols[0].Streak));
    }

    [Fact]
    public void The_verdict_raises_the_owned_condition_at_its_level_and_keeps_the_other_healthy()
    {
        var outcome = ReconciliationRule.Compare(new Dictionary<string, decimal> { ["BTC"] = 0.002m, ["ETH"] = 1.01m },
            new Dictionary<string, decimal> { ["ETH"] = 1m }, [], Limits, NoStreaks);
        var verdict = ReconciliationRule.ToVerdict("ReconciliationCheck", "r1", outcome, new Dictionary<string, string>());
        Assert.Equal(CheckHealth.Unhealthy, verdict.Health);
        var drift = verdict.Conditions.Single(c => c.Reason == ReasonCode.ReconcileDrift);
        var critical = verdict.Conditions.Single(c => c.Reason == ReasonCode.ReconcileCritical);
        Assert.True(drift.Holds);
        Assert.Equal(SafetyMode.ArmedSafe, drift.Level);
        Assert.True(critical.Holds);
        Assert.Equal(SafetyMode.Halt, critical.Level);
        Assert.Contains("BTC venue 0.002 local 0", critical.Message, StringComparison.Ordinal);
        Assert.Equal("CRITICAL", verdict.Data["symbol.BTC"]);
        Assert.Equal("DRIFT", verdict.Data["symbol.ETH"]);
        Assert.Equal("r1", verdict.Data["reportId"]);

        var settled = ReconciliationRule.ToVerdict("ReconciliationCheck", "r2",
            ReconciliationRule.Compare(new Dictionary<string, decimal> { ["ETH"] = 1m }, new Dictionary<string, decimal> { ["ETH"] = 1m }, [], Limits, NoStreaks),
            new Dictionary<string, string>());
        Assert.Equal(CheckHealth.Healthy, settled.Health);
        Assert.All(settled.Conditions, c => Assert.False(c.Holds));
    }

    [Fact]
    public void Settling_is_degraded_without_a_ledger_change()
    {
        var outcome = ReconciliationRule.Compare(new Dictionary<string, decimal> { ["BTC"] = 1m }, new Dictionary<string, decimal>(), [], Limits with { ConfirmRuns = 3 }, NoStreaks);
        var verdict = ReconciliationRule.ToVerdict("ReconciliationCheck", "r", outcome, new Dictionary<string, string>());
        Assert.Equal(CheckHealth.Degraded, verdict.Health);
        Assert.All(verdict.Conditions, c => Assert.False(c.Holds));
        Assert.Equal("SETTLING", verdict.Data["verdict"]);
    }
}
