using FsCheck;
using FsCheck.Fluent;
using HyperFunctions.Domain.Alerts;
using HyperFunctions.Domain.Checks;
using HyperFunctions.Domain.Safety;
using HyperFunctions.Domain.Streaming;

namespace HyperFunctions.Domain.Tests.Checks;

public sealed class CheckRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly HeartbeatThresholds Limits = new(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30));

    private static HeartbeatFacts Feed(TimeSpan heartbeatAge, TimeSpan? dataAge, bool connected = true, DataSource source = DataSource.WebSocket) =>
        new(T0 - heartbeatAge, connected, source, dataAge is { } d ? T0 - d : null, T0.AddMinutes(-10), "keeper-1", connected ? null : "ConnectionLost");

    private static ConditionVerdict Only(CheckVerdict v, ReasonCode reason) => Assert.Single(v.Conditions, c => c.Reason == reason);

    [Fact]
    public void A_live_feed_is_healthy_and_says_the_condition_does_not_hold()
    {
        var v = HeartbeatRule.Evaluate("HeartbeatCheck", Feed(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)), T0, Limits);
        Assert.Equal(CheckHealth.Healthy, v.Health);
        Assert.False(Only(v, ReasonCode.WsHeartbeatLost).Holds);
    }

    [Theory]
    [InlineData(null, 1, true, "keeper dead: no keeper heartbeat row")]
    [InlineData(31, 1, true, "keeper dead: its heartbeat row is 31 s old")]
    [InlineData(2, 31, false, "no connection")]
    [InlineData(2, 31, true, "no venue data message for 31 s while subscribed")]
    public void Each_kind_of_loss_raises_WS_HEARTBEAT_LOST_and_says_which(int? heartbeatAge, int dataAge, bool connected, string expected)
    {
        var facts = heartbeatAge is { } h ? Feed(TimeSpan.FromSeconds(h), TimeSpan.FromSeconds(dataAge), connected) : null;
        var v = HeartbeatRule.Evaluate("HeartbeatCheck", facts, T0, Limits);
        Assert.Equal(CheckHealth.Unhealthy, v.Health);
        var c = Only(v, ReasonCode.WsHeartbeatLost);
        Assert.True(c.Holds);
        Assert.Equal(SafetyMode.ArmedSafe, c.Level);
        Assert.Contains(expected, c.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_short_disconnect_with_recent_data_is_not_a_loss_yet()
    {
        var v = HeartbeatRule.Evaluate("HeartbeatCheck", Feed(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), connected: false), T0, Limits);
        Assert.False(Only(v, ReasonCode.WsHeartbeatLost).Holds);
    }

    [Fact]
    public void Rest_fallback_with_fresh_data_is_degraded_with_a_level_one_notice_and_accrues_no_recovery_time()
    {
        var v = HeartbeatRule.Evaluate("HeartbeatCheck", Feed(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), connected: false, DataSource.Rest), T0, Limits);
        Assert.Equal(CheckHealth.Degraded, v.Health);
        var c = Only(v, ReasonCode.WsHeartbeatLost);
        Assert.False(c.Holds);
        Assert.Equal(T0, c.HealthySince);
        var notice = Assert.Single(v.Notices, n => n.Key == HeartbeatRule.RestFallbackNotice);
        Assert.True(notice.Active);
        Assert.Equal(AlertLevel.AutomatedRecovery, notice.Level);
    }

    [Fact]
    public void Staleness_raises_only_for_coins_nothing_could_refresh()
    {
        var fresh = new CoinBook("BTC", BookOutcome.Fresh, T0, "keeper");
        var viaRest = new CoinBook("ETH", BookOutcome.RefreshedOverRest, T0, "REST book");
        var degraded = StalenessRule.Evaluate("StalenessCheck", [fresh, viaRest], T0, TimeSpan.FromSeconds(30));
        Assert.Equal(CheckHealth.Degraded, degraded.Health);
        Assert.False(Only(degraded, ReasonCode.MarketDataStale).Holds);
        Assert.Equal("", degraded.Data["staleCoins"]);

        var stale = StalenessRule.Evaluate("StalenessCheck", [fresh, new CoinBook("ETH", BookOutcome.Stale, T0.AddMinutes(-2), "REST refresh failed")], T0, TimeSpan.FromSeconds(30));
        Assert.Equal(CheckHealth.Unhealthy, stale.Health);
        Assert.True(Only(stale, ReasonCode.MarketDataStale).Holds);
        Assert.Equal("ETH", stale.Data["staleCoins"]);
        Assert.Contains("no backup source configured", stale.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(31, true)]
    [InlineData(30, false)]
    [InlineData(0, false)]
    public void A_book_is_stale_when_missing_or_older_than_the_limit(int? ageSeconds, bool stale) =>
        Assert.Equal(stale, StalenessRule.IsStale(ageSeconds is { } a ? T0.AddSeconds(-a) : null, T0, TimeSpan.FromSeconds(30)));

    [Fact]
    public void Funding_stale_after_a_failed_fetch_raises_at_risk_level_and_publishes_the_reduction_factor()
    {
        var limit = TimeSpan.FromHours(1);
        var stale = new CoinFunding("BTC", 0.0001m, T0.AddHours(-2), null, "direct fetch: failed");
        var fine = new CoinFunding("ETH", 0.0002m, T0.AddMinutes(-1), null, "not needed");
        var v = FundingRule.Evaluate("FundingDelayCheck", [stale, fine], T0, limit, 0.5);
        var c = Only(v, ReasonCode.FundingStale);
        Assert.True(c.Holds);
        Assert.Equal(AlertLevel.Risk, c.AlertLevel);
        Assert.Equal("0.5", v.Data["sizeReductionFactor"]);
        Assert.Equal("BTC", v.Data["staleCoins"]);
        Assert.Contains("last known 0.0001", c.Message, StringComparison.Ordinal);

        var fetched = FundingRule.Evaluate("FundingDelayCheck", [stale with { Fetched = 0.00012m }, fine], T0, limit, 0.5);
        Assert.Equal(CheckHealth.Degraded, fetched.Health);
        Assert.False(Only(fetched, ReasonCode.FundingStale).Holds);
        Assert.Equal("1", fetched.Data["sizeReductionFactor"]);
    }

    [Fact]
    public void Error_rate_needs_enough_requests_and_a_ratio_above_the_limit()
    {
        var limits = new ErrorRateThresholds(0.05, 20, TimeSpan.FromSeconds(60));
        var window = TimeSpan.FromMinutes(5);
        Assert.False(Only(ErrorRateRule.Evaluate("E", new(10, 9, window, null, 0), limits), ReasonCode.ErrorRateHigh).Holds); // too few to be a trend
        Assert.False(Only(ErrorRateRule.Evaluate("E", new(100, 5, window, null, 0), limits), ReasonCode.ErrorRateHigh).Holds); // exactly 5 % is not above
        Assert.True(Only(ErrorRateRule.Evaluate("E", new(100, 6, window, null, 0), limits), ReasonCode.ErrorRateHigh).Holds);
    }

    [Fact]
    public void Rate_limited_only_once_an_episode_outlasts_its_limit()
    {
        var limits = new ErrorRateThresholds(0.05, 20, TimeSpan.FromSeconds(60));
        var brief = ErrorRateRule.Evaluate("E", new(0, 0, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(10), 3), limits);
        Assert.Equal(CheckHealth.Degraded, brief.Health);
        Assert.False(Only(brief, ReasonCode.RateLimited).Holds);
        var sustained = ErrorRateRule.Evaluate("E", new(0, 0, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(61), 40), limits);
        Assert.True(Only(sustained, ReasonCode.RateLimited).Holds);
        Assert.Contains("40 answers of 429", Only(sustained, ReasonCode.RateLimited).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_outcome_window_forgets_what_slid_out()
    {
        var w = new OutcomeWindow(TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(5));
        w.Record(T0, error: true, 3);
        w.Record(T0.AddMinutes(1), error: false, 7);
        Assert.Equal((10L, 3L), w.Totals(T0.AddMinutes(1)));
        Assert.Equal((7L, 0L), w.Totals(T0.AddMinutes(5).AddSeconds(5)));
        Assert.Equal((0L, 0L), w.Totals(T0.AddMinutes(7)));
    }

    [Fact]
    public void The_outcome_window_counts_every_recorded_outcome_while_it_is_in_the_window() =>
        Prop.ForAll(Gen.Choose(0, 299).Zip(Gen.Elements(true, false)).ListOf().ToArbitrary(), events =>
        {
            var w = new OutcomeWindow(TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(5));
            foreach (var (second, error) in events.OrderBy(e => e.Item1)) w.Record(T0.AddSeconds(second), error);
            var (requests, errors) = w.Totals(T0.AddSeconds(299));
            return requests == events.Count && errors == events.Count(e => e.Item2);
        }).QuickCheckThrowOnFailure();
}
