using System.Text.Json.Nodes;
using HyperFunctions.Simulator.Tests.Support;

namespace HyperFunctions.Simulator.Tests;

public sealed class WebSocketSubscriptionTests
{
    private const string User = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";

    public static TheoryData<string, string?> Channels => new()
    {
        { """{"type":"allMids"}""", "allMids" },
        { """{"type":"l2Book","coin":"BTC"}""", "l2Book" },
        { """{"type":"l2Book","coin":"ETH","nSigFigs":3}""", "l2Book" },
        { """{"type":"trades","coin":"SOL"}""", null },
        { """{"type":"bbo","coin":"ETH"}""", "bbo" },
        { $$"""{"type":"userFills","user":"{{User}}"}""", "userFills" },
        { $$"""{"type":"orderUpdates","user":"{{User}}"}""", null },
        { $$"""{"type":"userEvents","user":"{{User}}"}""", null },
        { """{"type":"activeAssetCtx","coin":"BTC"}""", "activeAssetCtx" },
    };

    [Theory]
    [MemberData(nameof(Channels))]
    public async Task Every_channel_acks_with_the_subscription_echoed_and_sends_its_snapshot(string subscription, string? snapshotChannel)
    {
        await using var h = await SimHarness.StartAsync();
        await using var ws = await h.ConnectAsync();

        var ack = await ws.SubscribeAsync(subscription, h.Timeout);

        Assert.Equal("subscriptionResponse", (string?)ack["channel"]);
        Assert.Equal("subscribe", (string?)ack["data"]!["method"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(subscription), ack["data"]!["subscription"]), ack.ToJsonString());
        if (snapshotChannel is not null)
        {
            var snapshot = await ws.ReceiveJsonAsync(h.Timeout);
            Assert.Equal(snapshotChannel, (string?)snapshot["channel"]);
        }

        await ws.PingAsync(h.Timeout);
        Assert.Equal("pong", (string?)(await ws.ReceiveJsonAsync(h.Timeout))["channel"]);
    }

    [Fact]
    public async Task Snapshots_have_the_venue_shapes()
    {
        await using var h = await SimHarness.StartAsync();
        await using var ws = await h.ConnectAsync();

        await ws.SubscribeAsync("""{"type":"allMids"}""", h.Timeout);
        var mids = (await ws.ReceiveJsonAsync(h.Timeout))["data"]!["mids"]!.AsObject();
        Assert.Equal(["BTC", "ETH", "SOL"], mids.Select(p => p.Key));

        await ws.SubscribeAsync("""{"type":"l2Book","coin":"BTC"}""", h.Timeout);
        var book = (await ws.ReceiveJsonAsync(h.Timeout))["data"]!;
        Assert.Equal("BTC", (string?)book["coin"]);
        Assert.Equal(SimHarness.Start.ToUnixTimeMilliseconds(), (long)book["time"]!);
        var levels = book["levels"]!.AsArray();
        Assert.Equal(2, levels.Count);
        Assert.All(levels, side => Assert.True(side!.AsArray().Count >= 5));
        var bestBid = decimal.Parse((string)levels[0]![0]!["px"]!, System.Globalization.CultureInfo.InvariantCulture);
        var bestAsk = decimal.Parse((string)levels[1]![0]!["px"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(bestBid < bestAsk);
        Assert.True((int)levels[0]![0]!["n"]! >= 1);

        await ws.SubscribeAsync("""{"type":"bbo","coin":"BTC"}""", h.Timeout);
        var bbo = (await ws.ReceiveJsonAsync(h.Timeout))["data"]!;
        Assert.Equal((string?)levels[0]![0]!["px"], (string?)bbo["bbo"]![0]!["px"]);
        Assert.Equal((string?)levels[1]![0]!["px"], (string?)bbo["bbo"]![1]!["px"]);

        await ws.SubscribeAsync("""{"type":"activeAssetCtx","coin":"BTC"}""", h.Timeout);
        var ctx = (await ws.ReceiveJsonAsync(h.Timeout))["data"]!;
        Assert.Equal("BTC", (string?)ctx["coin"]);
        foreach (var field in new[] { "funding", "openInterest", "oraclePx", "markPx", "midPx", "premium", "prevDayPx", "dayNtlVlm", "impactPxs" })
        {
            Assert.NotNull(ctx["ctx"]![field]);
        }

        await ws.SubscribeAsync($$"""{"type":"userFills","user":"{{User}}"}""", h.Timeout);
        var fills = (await ws.ReceiveJsonAsync(h.Timeout))["data"]!;
        Assert.True((bool)fills["isSnapshot"]!);
        Assert.Equal(User, (string?)fills["user"]);
        Assert.Empty(fills["fills"]!.AsArray());
    }

    [Fact]
    public async Task Unsubscribe_acks_and_stops_the_feed()
    {
        await using var h = await SimHarness.StartAsync();
        await using var ws = await h.ConnectAsync();
        await ws.SubscribeAsync("""{"type":"allMids"}""", h.Timeout);
        await ws.ReceiveJsonAsync(h.Timeout);

        await ws.SendAsync("""{"method":"unsubscribe","subscription":{"type":"allMids"}}""", h.Timeout);
        var ack = await ws.ReceiveJsonAsync(h.Timeout);
        Assert.Equal("subscriptionResponse", (string?)ack["channel"]);
        Assert.Equal("unsubscribe", (string?)ack["data"]!["method"]);

        Assert.True(h.Sim.Market.Tick());
        await ws.PingAsync(h.Timeout);
        Assert.Equal("pong", (string?)(await ws.ReceiveJsonAsync(h.Timeout))["channel"]);
        Assert.Empty(Assert.Single(h.Sim.Connections).Subscriptions);
    }

    [Theory]
    [InlineData("""{"method":"subscribe","subscription":{"type":"l2Book","coin":"DOGE"}}""", "Invalid subscription: {\"type\":\"l2Book\",\"coin\":\"DOGE\"}")]
    [InlineData("""{"method":"subscribe","subscription":{"type":"candles","coin":"BTC"}}""", "Error parsing JSON into valid websocket request: {\"method\":\"subscribe\",\"subscription\":{\"type\":\"candles\",\"coin\":\"BTC\"}}")]
    [InlineData("""{"method":"subscribe","subscription":{"type":"userFills","user":"bob"}}""", "Error parsing JSON into valid websocket request: {\"method\":\"subscribe\",\"subscription\":{\"type\":\"userFills\",\"user\":\"bob\"}}")]
    [InlineData("""{"method":"unsubscribe","subscription":{"type":"trades","coin":"BTC"}}""", "Already unsubscribed: {\"type\":\"trades\",\"coin\":\"BTC\"}")]
    [InlineData("""{"method":"dance"}""", "Error parsing JSON into valid websocket request: {\"method\":\"dance\"}")]
    [InlineData("""{ this is not json""", "Error parsing JSON into valid websocket request: { this is not json")]
    [InlineData("""[1,2,3]""", "Error parsing JSON into valid websocket request: [1,2,3]")]
    [InlineData("""{"method":"ping","method":"ping"}""", "Error parsing JSON into valid websocket request: {\"method\":\"ping\",\"method\":\"ping\"}")]
    public async Task Bad_requests_get_the_venue_error_message_and_the_connection_survives(string request, string expected)
    {
        await using var h = await SimHarness.StartAsync();
        await using var ws = await h.ConnectAsync();

        await ws.SendAsync(request, h.Timeout);
        var error = await ws.ReceiveJsonAsync(h.Timeout);

        Assert.Equal("error", (string?)error["channel"]);
        Assert.Equal(expected, (string?)error["data"]);
        await ws.PingAsync(h.Timeout);
        Assert.Equal("pong", (string?)(await ws.ReceiveJsonAsync(h.Timeout))["channel"]);
    }

    [Fact]
    public async Task Subscribing_twice_answers_already_subscribed()
    {
        await using var h = await SimHarness.StartAsync();
        await using var ws = await h.ConnectAsync();
        await ws.SubscribeAsync("""{"type":"trades","coin":"BTC"}""", h.Timeout);

        await ws.SendAsync("""{"method":"subscribe","subscription":{"type":"trades","coin":"BTC"}}""", h.Timeout);

        var error = await ws.WaitForChannelAsync("error", h.Timeout);
        Assert.Equal("Already subscribed: {\"type\":\"trades\",\"coin\":\"BTC\"}", (string?)error["data"]);
    }

    [Fact]
    public async Task The_greeting_can_be_turned_off()
    {
        await using var h = await SimHarness.StartAsync(tp => new SimulatorOptions { TimeProvider = tp, SendConnectionEstablished = false });
        await using var ws = await h.ConnectAsync(skipGreeting: false);

        await ws.PingAsync(h.Timeout);

        Assert.Equal("""{"channel":"pong"}""", await ws.ReceiveTextAsync(h.Timeout));
    }
}
