using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using HyperFunctions.Simulator.Tests.Support;

namespace HyperFunctions.Simulator.Tests;

public sealed class RestInfoTests
{
    private const string Dev = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";

    [Fact]
    public async Task AllMids_is_a_coin_to_price_map()
    {
        await using var h = await SimHarness.StartAsync();

        var mids = (await h.InfoAsync("""{"type":"allMids"}"""))!.AsObject();

        Assert.Equal(["BTC", "ETH", "SOL"], mids.Select(p => p.Key));
        Assert.InRange(decimal.Parse((string)mids["BTC"]!, CultureInfo.InvariantCulture), 60_000m, 75_000m);
    }

    [Fact]
    public async Task Meta_lists_the_universe_with_size_decimals_and_leverage()
    {
        await using var h = await SimHarness.StartAsync();

        var universe = (await h.InfoAsync("""{"type":"meta"}"""))!["universe"]!.AsArray();

        Assert.Equal(3, universe.Count);
        Assert.Equal("BTC", (string?)universe[0]!["name"]);
        Assert.Equal(5, (int)universe[0]!["szDecimals"]!);
        Assert.Equal(40, (int)universe[0]!["maxLeverage"]!);
        Assert.Equal(4, (int)universe[1]!["szDecimals"]!);
        Assert.Equal(2, (int)universe[2]!["szDecimals"]!);
    }

    [Fact]
    public async Task MetaAndAssetCtxs_is_meta_then_one_context_per_asset()
    {
        await using var h = await SimHarness.StartAsync();

        var answer = (await h.InfoAsync("""{"type":"metaAndAssetCtxs"}"""))!.AsArray();

        Assert.Equal(2, answer.Count);
        Assert.Equal(3, answer[0]!["universe"]!.AsArray().Count);
        var contexts = answer[1]!.AsArray();
        Assert.Equal(3, contexts.Count);
        foreach (var field in new[] { "funding", "markPx", "oraclePx", "premium", "openInterest", "midPx" })
        {
            Assert.All(contexts, c => Assert.IsType<string>((string?)c![field]));
        }
    }

    [Fact]
    public async Task ClearinghouseState_of_a_fresh_account_shows_its_cash()
    {
        await using var h = await SimHarness.StartAsync();

        var state = (await h.InfoAsync($$"""{"type":"clearinghouseState","user":"{{Dev}}"}"""))!;

        Assert.Empty(state["assetPositions"]!.AsArray());
        Assert.Equal("100000.0", (string?)state["marginSummary"]!["accountValue"]);
        Assert.Equal("100000.0", (string?)state["crossMarginSummary"]!["accountValue"]);
        Assert.Equal("100000.0", (string?)state["withdrawable"]);
    }

    [Fact]
    public async Task Unknown_users_get_empty_answers()
    {
        await using var h = await SimHarness.StartAsync();
        const string Nobody = "0x0000000000000000000000000000000000000001";

        Assert.Equal("0.0", (string?)(await h.InfoAsync($$"""{"type":"clearinghouseState","user":"{{Nobody}}"}"""))!["marginSummary"]!["accountValue"]);
        Assert.Empty((await h.InfoAsync($$"""{"type":"openOrders","user":"{{Nobody}}"}"""))!.AsArray());
        Assert.Empty((await h.InfoAsync($$"""{"type":"userFills","user":"{{Nobody}}"}"""))!.AsArray());
        Assert.Empty((await h.InfoAsync($$"""{"type":"userFillsByTime","user":"{{Nobody}}","startTime":0}"""))!.AsArray());
        Assert.Equal("unknownOid", (string?)(await h.InfoAsync($$"""{"type":"orderStatus","user":"{{Nobody}}","oid":12345}"""))!["status"]);
        Assert.Equal("unknownOid", (string?)(await h.InfoAsync($$"""{"type":"orderStatus","user":"{{Nobody}}","oid":"0x0000000000000000000000000000abcd"}"""))!["status"]);
    }

    [Fact]
    public async Task L2Book_of_an_unknown_coin_is_null_and_nSigFigs_aggregates()
    {
        await using var h = await SimHarness.StartAsync();

        Assert.Null(await h.InfoAsync("""{"type":"l2Book","coin":"DOGE"}"""));
        var coarse = (await h.InfoAsync("""{"type":"l2Book","coin":"BTC","nSigFigs":2}"""))!;
        var bids = coarse["levels"]![0]!.AsArray();
        Assert.All(bids, level => Assert.EndsWith("000.0", (string?)level!["px"], StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"type":"candleSnapshot"}""", HttpStatusCode.UnprocessableEntity, "Failed to deserialize the JSON body into the target type: unknown variant `candleSnapshot`")]
    [InlineData("""{"coin":"BTC"}""", HttpStatusCode.UnprocessableEntity, "Failed to deserialize the JSON body into the target type: missing field `type`")]
    [InlineData("""{"type":"l2Book"}""", HttpStatusCode.UnprocessableEntity, "Failed to deserialize the JSON body into the target type: missing field `coin`")]
    [InlineData("""{"type":"clearinghouseState","user":"alice"}""", HttpStatusCode.UnprocessableEntity, "Failed to deserialize the JSON body into the target type: invalid value for `user`")]
    [InlineData("""{"type":"fundingHistory","coin":"BTC"}""", HttpStatusCode.UnprocessableEntity, "Failed to deserialize the JSON body into the target type: missing field `startTime`")]
    [InlineData("""{"type": allMids}""", HttpStatusCode.BadRequest, "Failed to parse the request body as JSON")]
    [InlineData("""{"type":"allMids","type":"meta"}""", HttpStatusCode.BadRequest, "Failed to parse the request body as JSON")]
    public async Task Bad_info_requests_get_the_venue_status_and_text(string body, HttpStatusCode status, string textStart)
    {
        await using var h = await SimHarness.StartAsync();

        using var response = await h.PostAsync("info", body);

        Assert.Equal(status, response.StatusCode);
        Assert.StartsWith(textStart, await response.Content.ReadAsStringAsync(h.Timeout), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_that_is_not_declared_json_is_refused_with_415()
    {
        await using var h = await SimHarness.StartAsync();

        using var response = await h.Http.PostAsync("info", new StringContent("""{"type":"allMids"}"""), h.Timeout);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task The_weight_budget_answers_429_when_spent_and_refills_after_a_minute()
    {
        await using var h = await SimHarness.StartAsync(tp => new SimulatorOptions { TimeProvider = tp, RestWeightPerMinute = 10 });

        for (var i = 0; i < 5; i++)
        {
            using var ok = await h.PostAsync("info", """{"type":"allMids"}""");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using (var limited = await h.PostAsync("info", """{"type":"allMids"}"""))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        }

        using (var heavy = await h.PostAsync("info", """{"type":"meta"}"""))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, heavy.StatusCode);
        }

        Assert.Equal(2, h.Sim.Stats.RateLimitedResponses);
        h.Time.Advance(TimeSpan.FromMinutes(1));
        using var again = await h.PostAsync("info", """{"type":"allMids"}""");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task FundingHistory_gains_one_entry_per_coin_every_hour_on_the_hour()
    {
        await using var h = await SimHarness.StartAsync();
        var start = SimHarness.Start.ToUnixTimeMilliseconds();
        var seeded = (await h.InfoAsync($$"""{"type":"fundingHistory","coin":"BTC","startTime":0}"""))!.AsArray();
        Assert.Equal(24, seeded.Count);
        Assert.Equal(start, (long)seeded[^1]!["time"]!);

        for (var hour = 0; hour < 3; hour++)
        {
            h.Time.Advance(TimeSpan.FromHours(1));
        }

        await h.Sim.WaitUntilAsync(() => h.Sim.Stats.FundingUpdates == 3, h.Timeout);
        foreach (var coin in new[] { "BTC", "ETH", "SOL" })
        {
            var entries = (await h.InfoAsync($$"""{"type":"fundingHistory","coin":"{{coin}}","startTime":{{start + 1}}}"""))!.AsArray();
            Assert.Equal([start + 3_600_000, start + 7_200_000, start + 10_800_000], entries.Select(e => (long)e!["time"]!));
            Assert.All(entries, e =>
            {
                Assert.Equal(coin, (string?)e!["coin"]);
                Assert.IsType<string>((string?)e["fundingRate"]);
                Assert.IsType<string>((string?)e["premium"]);
            });
        }

        var window = (await h.InfoAsync($$"""{"type":"fundingHistory","coin":"BTC","startTime":{{start + 1}},"endTime":{{start + 3_600_000}}}"""))!.AsArray();
        Assert.Single(window);
    }

    [Fact]
    public async Task A_clock_jump_catches_up_every_missed_funding_hour()
    {
        await using var h = await SimHarness.StartAsync();

        h.Time.Advance(TimeSpan.FromHours(5));

        await h.Sim.WaitUntilAsync(() => h.Sim.Stats.FundingUpdates == 5, h.Timeout);
        Assert.Equal(29, h.Sim.Market.FundingHistoryCount("ETH"));
    }
}
