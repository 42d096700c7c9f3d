using System.Globalization;
using System.Text.Json.Nodes;
using HyperFunctions.Simulator.Market;
using HyperFunctions.Simulator.Tests.Support;

namespace HyperFunctions.Simulator.Tests;

public sealed class MarketTests
{
    [Fact]
    public async Task Every_tick_of_simulator_time_moves_the_market_and_pushes_mids_books_and_contexts()
    {
        await using var h = await SimHarness.StartAsync();
        await using var ws = await h.ConnectAsync();
        await ws.SubscribeAsync("""{"type":"allMids"}""", h.Timeout);
        var before = (await ws.ReceiveJsonAsync(h.Timeout))["data"]!["mids"]!.ToJsonString();
        await ws.SubscribeAsync("""{"type":"l2Book","coin":"BTC"}""", h.Timeout);
        await ws.ReceiveJsonAsync(h.Timeout);
        await ws.SubscribeAsync("""{"type":"activeAssetCtx","coin":"ETH"}""", h.Timeout);
        await ws.ReceiveJsonAsync(h.Timeout);

        h.Time.Advance(TimeSpan.FromSeconds(1));

        var seen = new Dictionary<string, JsonObject>();
        while (seen.Count < 3)
        {
            var message = await ws.ReceiveJsonAsync(h.Timeout);
            seen[(string)message["channel"]!] = message;
        }

        Assert.NotEqual(before, seen["allMids"]["data"]!["mids"]!.ToJsonString());
        Assert.Equal(SimHarness.Start.AddSeconds(1).ToUnixTimeMilliseconds(), (long)seen["l2Book"]["data"]!["time"]!);
        Assert.Equal("ETH", (string?)seen["activeAssetCtx"]["data"]!["coin"]);
        Assert.Equal(1, h.Sim.Stats.MarketTicks);
    }

    [Fact]
    public async Task Trades_flow_on_the_trades_channel()
    {
        await using var h = await SimHarness.StartAsync(tp => new SimulatorOptions { TimeProvider = tp, MarketTickInterval = TimeSpan.Zero });
        await using var ws = await h.ConnectAsync();
        await ws.SubscribeAsync("""{"type":"trades","coin":"BTC"}""", h.Timeout);

        for (var i = 0; i < 10; i++)
        {
            h.Sim.Market.Tick();
        }

        var trades = (await ws.WaitForChannelAsync("trades", h.Timeout))["data"]!.AsArray();
        var trade = trades[0]!;
        Assert.Equal("BTC", (string?)trade["coin"]);
        Assert.Contains((string?)trade["side"], new[] { "A", "B" });
        Assert.StartsWith("0x", (string?)trade["hash"], StringComparison.Ordinal);
        Assert.Equal(2, trade["users"]!.AsArray().Count);
        Assert.True((long)trade["tid"]! > 0);
    }

    [Fact]
    public async Task Books_are_several_levels_deep_on_valid_ticks_and_lots()
    {
        await using var h = await SimHarness.StartAsync();
        foreach (var (coin, szDecimals) in new[] { ("BTC", 5), ("ETH", 4), ("SOL", 2) })
        {
            for (var tick = 0; tick < 3; tick++)
            {
                var book = await h.InfoAsync($$"""{"type":"l2Book","coin":"{{coin}}"}""");
                var bids = book!["levels"]![0]!.AsArray().Select(Level).ToList();
                var asks = book["levels"]![1]!.AsArray().Select(Level).ToList();
                Assert.Equal(10, bids.Count);
                Assert.Equal(10, asks.Count);
                Assert.Equal(bids.OrderByDescending(l => l.Px), bids);
                Assert.Equal(asks.OrderBy(l => l.Px), asks);
                Assert.True(bids[0].Px < asks[0].Px);
                Assert.All(bids.Concat(asks), l =>
                {
                    Assert.True(PriceRules.IsValidPrice(l.Px, szDecimals), $"{coin} price {l.Px}");
                    Assert.True(PriceRules.IsValidSize(l.Sz, szDecimals), $"{coin} size {l.Sz}");
                });
                h.Sim.Market.Tick();
            }
        }
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_market()
    {
        async Task<string> RunAsync(int seed)
        {
            await using var h = await SimHarness.StartAsync(tp => new SimulatorOptions { TimeProvider = tp, Seed = seed, MarketTickInterval = TimeSpan.Zero });
            for (var i = 0; i < 5; i++)
            {
                h.Sim.Market.Tick();
            }

            return (await h.InfoAsync("""{"type":"l2Book","coin":"ETH"}"""))!.ToJsonString();
        }

        Assert.Equal(await RunAsync(7), await RunAsync(7));
        Assert.NotEqual(await RunAsync(7), await RunAsync(8));
    }

    [Fact]
    public async Task SetPrice_requotes_around_the_new_price()
    {
        await using var h = await SimHarness.StartAsync();
        await using var ws = await h.ConnectAsync();
        await ws.SubscribeAsync("""{"type":"bbo","coin":"SOL"}""", h.Timeout);
        await ws.ReceiveJsonAsync(h.Timeout);

        h.Sim.Market.SetPrice("SOL", 120m);

        var bbo = (await ws.WaitForChannelAsync("bbo", h.Timeout))["data"]!["bbo"]!;
        var bid = decimal.Parse((string)bbo[0]!["px"]!, CultureInfo.InvariantCulture);
        var ask = decimal.Parse((string)bbo[1]!["px"]!, CultureInfo.InvariantCulture);
        Assert.InRange(bid, 119.9m, 120m);
        Assert.InRange(ask, 120m, 120.1m);
        Assert.Equal(120m, h.Sim.Market.OraclePrice("SOL"));
    }

    private static (decimal Px, decimal Sz) Level(JsonNode? level) =>
        (decimal.Parse((string)level!["px"]!, CultureInfo.InvariantCulture), decimal.Parse((string)level["sz"]!, CultureInfo.InvariantCulture));
}
