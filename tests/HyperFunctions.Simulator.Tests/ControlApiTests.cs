using System.Net;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using HyperFunctions.Simulator.Tests.Support;

namespace HyperFunctions.Simulator.Tests;

public sealed class ControlApiTests
{
    [Fact]
    public async Task Faults_can_be_injected_listed_and_cleared_over_http()
    {
        await using var h = await SimHarness.StartAsync();
        await using var ws = await h.ConnectAsync();
        await h.Sim.WaitForConnectionsAsync(1, h.Timeout);

        using var goodbye = await h.PostAsync("_sim/faults", """{"kind":"goodbye","closeStatus":1012,"closeReason":"restart"}""");
        Assert.Equal(HttpStatusCode.OK, goodbye.StatusCode);
        var frame = await ws.WaitUntilCloseAsync(h.Timeout);
        Assert.Equal((WebSocketCloseStatus)1012, frame.CloseStatus);
        Assert.Equal("restart", frame.CloseDescription);

        using var limit = await h.PostAsync("_sim/faults", """{"kind":"rateLimit","count":3,"retryAfterSeconds":1}""");
        var view = JsonNode.Parse(await limit.Content.ReadAsStringAsync(h.Timeout))!;
        Assert.Equal("rateLimit", (string?)view["kind"]);
        Assert.Equal(3, (int)view["remaining"]!);
        var listed = JsonNode.Parse(await h.Http.GetStringAsync("_sim/faults", h.Timeout))!.AsArray();
        Assert.Equal((long)view["id"]!, (long)Assert.Single(listed)!["id"]!);

        using var removed = await h.Http.DeleteAsync($"_sim/faults/{(long)view["id"]!}", h.Timeout);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        h.Sim.Faults.StopFunding();
        using var cleared = await h.Http.DeleteAsync("_sim/faults", h.Timeout);
        Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
        Assert.Empty(h.Sim.Faults.Active);
    }

    [Theory]
    [InlineData("""{"kind":"explode"}""")]
    [InlineData("""{"count":1}""")]
    [InlineData("""{"kind":"latency"}""")]
    [InlineData("""{"kind":"divergePosition","user":"0x1","coin":"BTC","delta":"1"}""")]
    [InlineData("""{"kind":"silence","target":"carrier-pigeon"}""")]
    public async Task Invalid_faults_get_400_with_a_reason(string body)
    {
        await using var h = await SimHarness.StartAsync();

        using var response = await h.PostAsync("_sim/faults", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("Invalid fault: ", await response.Content.ReadAsStringAsync(h.Timeout), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Control_requests_are_never_rate_limited_or_faulted()
    {
        await using var h = await SimHarness.StartAsync();
        h.Sim.Faults.RateLimitFor(TimeSpan.FromHours(1));

        var state = JsonNode.Parse(await h.Http.GetStringAsync("_sim/state", h.Timeout))!;

        Assert.Single(state["faults"]!.AsArray());
        Assert.Equal(0, (long)state["counters"]!["restRequests"]!);
    }

    [Fact]
    public async Task State_describes_connections_subscriptions_and_counters()
    {
        await using var h = await SimHarness.StartAsync();
        await using var ws = await h.ConnectAsync();
        await ws.SubscribeAsync("""{"type":"l2Book","coin":"ETH"}""", h.Timeout);
        await ws.ReceiveJsonAsync(h.Timeout);

        var state = JsonNode.Parse(await h.Http.GetStringAsync("_sim/state", h.Timeout))!;

        Assert.Equal(SimHarness.Start.ToUnixTimeMilliseconds(), (long)state["timeMs"]!);
        Assert.Equal(3, state["mids"]!.AsObject().Count);
        var connection = Assert.Single(state["connections"]!.AsArray())!;
        Assert.Equal("l2Book:ETH", (string?)Assert.Single(connection["subscriptions"]!.AsArray()));
        Assert.True((long)connection["messagesSent"]! >= 3);
        Assert.Equal(1, (int)state["counters"]!["activeConnections"]!);
    }

    [Fact]
    public async Task Market_can_be_ticked_and_priced_over_http()
    {
        await using var h = await SimHarness.StartAsync(tp => new SimulatorOptions { TimeProvider = tp, MarketTickInterval = TimeSpan.Zero });

        using var tick = await h.PostAsync("_sim/market/tick", "{}");
        using var price = await h.PostAsync("_sim/market/price", """{"coin":"BTC","price":"50000"}""");
        using var bad = await h.PostAsync("_sim/market/price", """{"coin":"XRP","price":"1"}""");

        Assert.Equal("""{"ticked":true}""", await tick.Content.ReadAsStringAsync(h.Timeout));
        Assert.Equal(HttpStatusCode.NoContent, price.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.InRange(h.Sim.Market.Mid("BTC"), 49_990m, 50_010m);
    }

    [Fact]
    public async Task The_alert_inbox_records_posted_alerts_for_the_local_run()
    {
        await using var h = await SimHarness.StartAsync();
        using var posted = await h.PostAsync("_sim/alerts", """{"key":"ledger:halt","level":4,"status":"triggered"}""");
        Assert.Equal(HttpStatusCode.NoContent, posted.StatusCode);
        var listed = JsonNode.Parse(await h.Http.GetStringAsync("_sim/alerts", h.Timeout))!.AsArray();
        var item = Assert.Single(listed)!;
        Assert.Equal(("ledger:halt", 4), ((string?)item["body"]!["key"], (int)item["body"]!["level"]!));
        Assert.NotNull((string?)item["receivedAt"]);
        using var cleared = await h.Http.DeleteAsync("_sim/alerts", h.Timeout);
        Assert.Empty(JsonNode.Parse(await h.Http.GetStringAsync("_sim/alerts", h.Timeout))!.AsArray());
    }
}
