using System.Net;
using HyperFunctions.Simulator.Market;
using HyperFunctions.Simulator.Tests.Support;

namespace HyperFunctions.Simulator.Tests;

public sealed class RestAndMarketFaultTests
{
    private const string AllMids = """{"type":"allMids"}""";

    [Fact]
    public async Task RateLimit_answers_429_with_retry_after_for_the_next_n_requests()
    {
        await using var h = await SimHarness.StartAsync();
        var fault = h.Sim.Faults.RateLimit(2, TimeSpan.FromSeconds(2.5));

        for (var i = 0; i < 2; i++)
        {
            using var limited = await h.PostAsync("info", AllMids);
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(3), limited.Headers.RetryAfter?.Delta);
        }

        using var ok = await h.PostAsync("info", AllMids);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(2, fault.Applied);
        Assert.Equal(2, h.Sim.Stats.RateLimitedResponses);
    }

    [Fact]
    public async Task MalformedInfo_answers_200_with_the_wrong_shape_for_one_request_type_only_and_counts()
    {
        await using var h = await SimHarness.StartAsync();
        var fault = h.Sim.Faults.MalformedInfo(infoType: "l2Book", count: 2);

        using var mids = await h.PostAsync("info", AllMids); // another type: answered normally, not counted
        Assert.Equal(HttpStatusCode.OK, mids.StatusCode);
        Assert.Contains("BTC", await mids.Content.ReadAsStringAsync(h.Timeout), StringComparison.Ordinal);
        for (var i = 0; i < 2; i++)
        {
            using var bad = await h.PostAsync("info", """{"type":"l2Book","coin":"BTC"}""");
            Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
            Assert.Equal("application/json", bad.Content.Headers.ContentType?.MediaType);
            Assert.Equal("""{"unexpected":"shape"}""", await bad.Content.ReadAsStringAsync(h.Timeout));
        }

        using var good = await h.PostAsync("info", """{"type":"l2Book","coin":"BTC"}""");
        Assert.Contains("\"levels\"", await good.Content.ReadAsStringAsync(h.Timeout), StringComparison.Ordinal);
        Assert.Equal(2, fault.Applied);
        Assert.False(fault.IsActive);
    }

    [Fact]
    public async Task MalformedInfo_over_the_control_api_takes_the_body_and_the_info_type()
    {
        await using var h = await SimHarness.StartAsync();
        using var injected = await h.PostAsync("_sim/faults", """{"kind":"malformedInfo","infoType":"userFillsByTime","message":"[{\"coin\":\"BTC\"}]","count":1}""");
        Assert.Equal(HttpStatusCode.OK, injected.StatusCode);

        using var bad = await h.PostAsync("info", """{"type":"userFillsByTime","user":"0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266","startTime":0}""");
        Assert.Equal("""[{"coin":"BTC"}]""", await bad.Content.ReadAsStringAsync(h.Timeout));
        Assert.Empty(h.Sim.Faults.Active);
    }

    [Fact]
    public async Task RateLimit_without_retry_after_sends_no_header_and_also_hits_exchange()
    {
        await using var h = await SimHarness.StartAsync();
        h.Sim.Faults.RateLimit(1);

        using var limited = await h.PostAsync("exchange", "{}");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Null(limited.Headers.RetryAfter);
    }

    [Fact]
    public async Task RateLimitFor_lasts_for_its_duration_of_simulator_time()
    {
        await using var h = await SimHarness.StartAsync();
        h.Sim.Faults.RateLimitFor(TimeSpan.FromSeconds(10));

        using (var during = await h.PostAsync("info", AllMids))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, during.StatusCode);
        }

        h.Time.Advance(TimeSpan.FromSeconds(10));
        using var after = await h.PostAsync("info", AllMids);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task HttpErrors_answer_the_status_for_the_next_requests()
    {
        await using var h = await SimHarness.StartAsync();
        h.Sim.Faults.HttpErrors(502, count: 1);

        using var failed = await h.PostAsync("info", AllMids);
        using var ok = await h.PostAsync("info", AllMids);

        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task Rest_latency_holds_the_answer_until_simulator_time_passes()
    {
        await using var h = await SimHarness.StartAsync();
        h.Sim.Faults.AddLatency(TimeSpan.FromSeconds(5), FaultTarget.Rest);

        var pending = h.PostAsync("info", AllMids);
        await h.Sim.WaitUntilAsync(() => h.Sim.Stats.PendingDelays == 1, h.Timeout);
        Assert.False(pending.IsCompleted);
        h.Time.Advance(TimeSpan.FromSeconds(5));

        using var response = await pending;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task RejectOrders_rejects_the_next_orders_with_the_given_message()
    {
        await using var h = await SimHarness.StartAsync();
        var px = PriceRules.FloorPrice(h.Sim.Market.BestBid("BTC")!.Value * 0.99m, 5);
        h.Sim.Faults.RejectOrders(count: 1, message: "Insufficient margin to place order.");

        var rejected = Actions.Status(await h.ExchangeAsync(Actions.Order(0, isBuy: true, px, 0.01m, cloid: "0x000000000000000000000000000000aa")));
        var accepted = Actions.Status(await h.ExchangeAsync(Actions.Order(0, isBuy: true, px, 0.01m)));

        Assert.Equal("Insufficient margin to place order. asset=0", (string?)rejected["error"]);
        Assert.NotNull(accepted["resting"]);
        var status = (await h.InfoAsync($$"""{"type":"orderStatus","user":"{{h.DevAddress}}","oid":"0x000000000000000000000000000000aa"}"""))!;
        Assert.Equal("rejected", (string?)status["order"]!["status"]);
    }

    [Fact]
    public async Task StopFunding_skips_hourly_settlements_and_freezes_the_rate()
    {
        await using var h = await SimHarness.StartAsync();
        var before = h.Sim.Market.FundingHistoryCount("BTC");
        var rate = h.Sim.Market.Funding("BTC");
        var fault = h.Sim.Faults.StopFunding(count: 1);

        h.Time.Advance(TimeSpan.FromHours(1));
        await h.Sim.WaitUntilAsync(() => fault.Applied == 1, h.Timeout);
        Assert.Equal(before, h.Sim.Market.FundingHistoryCount("BTC"));
        Assert.Equal(rate, h.Sim.Market.Funding("BTC"));
        Assert.Equal(0, h.Sim.Stats.FundingUpdates);

        h.Time.Advance(TimeSpan.FromHours(1));
        await h.Sim.WaitUntilAsync(() => h.Sim.Stats.FundingUpdates == 1, h.Timeout);
        Assert.Equal(before + 1, h.Sim.Market.FundingHistoryCount("BTC"));
    }

    [Fact]
    public async Task StopFunding_for_one_coin_leaves_the_others_settling()
    {
        await using var h = await SimHarness.StartAsync();
        var eth = h.Sim.Market.FundingHistoryCount("ETH");
        var sol = h.Sim.Market.FundingHistoryCount("SOL");
        h.Sim.Faults.StopFunding(duration: TimeSpan.FromHours(3), coin: "ETH");

        h.Time.Advance(TimeSpan.FromHours(1));
        await h.Sim.WaitUntilAsync(() => h.Sim.Stats.FundingUpdates == 1, h.Timeout);

        Assert.Equal(eth, h.Sim.Market.FundingHistoryCount("ETH"));
        Assert.Equal(sol + 1, h.Sim.Market.FundingHistoryCount("SOL"));
    }

    [Fact]
    public async Task FreezeMarket_stops_prices_and_books_from_moving()
    {
        await using var h = await SimHarness.StartAsync(tp => new SimulatorOptions { TimeProvider = tp, MarketTickInterval = TimeSpan.Zero });
        var book = (await h.InfoAsync("""{"type":"l2Book","coin":"BTC"}"""))!.ToJsonString();
        h.Sim.Faults.FreezeMarket(count: 2);

        Assert.False(h.Sim.Market.Tick());
        Assert.False(h.Sim.Market.Tick());
        Assert.Equal(book, (await h.InfoAsync("""{"type":"l2Book","coin":"BTC"}"""))!.ToJsonString());

        Assert.True(h.Sim.Market.Tick());
        Assert.NotEqual(book, (await h.InfoAsync("""{"type":"l2Book","coin":"BTC"}"""))!.ToJsonString());
    }

    [Fact]
    public async Task DivergePosition_reports_a_position_fills_do_not_explain()
    {
        await using var h = await SimHarness.StartAsync();
        var fault = h.Sim.Faults.DivergePosition(h.DevAddress, "ETH", -0.75m);

        var state = (await h.InfoAsync($$"""{"type":"clearinghouseState","user":"{{h.DevAddress}}"}"""))!;

        var position = Assert.Single(state["assetPositions"]!.AsArray())!["position"]!;
        Assert.Equal("ETH", (string?)position["coin"]);
        Assert.Equal("-0.75", (string?)position["szi"]);
        Assert.Empty((await h.InfoAsync($$"""{"type":"userFills","user":"{{h.DevAddress}}"}"""))!.AsArray());
        fault.Remove();
        Assert.Empty((await h.InfoAsync($$"""{"type":"clearinghouseState","user":"{{h.DevAddress}}"}"""))!["assetPositions"]!.AsArray());
    }

    [Fact]
    public async Task Clear_ends_every_fault()
    {
        await using var h = await SimHarness.StartAsync();
        h.Sim.Faults.RateLimitFor(TimeSpan.FromHours(1));
        h.Sim.Faults.StopFunding();
        Assert.Equal(2, h.Sim.Faults.Active.Count);

        h.Sim.Faults.Clear();

        Assert.Empty(h.Sim.Faults.Active);
        using var ok = await h.PostAsync("info", AllMids);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public void Invalid_fault_specs_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new FaultSpec(FaultKind.Latency).Validate());
        Assert.Throws<ArgumentException>(() => new FaultSpec(FaultKind.RateLimit) { Count = 0 }.Validate());
        Assert.Throws<ArgumentException>(() => new FaultSpec(FaultKind.DivergePosition) { Coin = "BTC", Delta = 1m }.Validate());
        Assert.Throws<ArgumentException>(() => new FaultSpec(FaultKind.HttpError) { StatusCode = 200 }.Validate());
    }
}
