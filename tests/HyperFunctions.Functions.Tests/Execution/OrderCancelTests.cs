using System.Globalization;
using System.Text.Json.Nodes;
using HyperFunctions.Functions.Execution;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Hyperliquid.Rest;
using HyperFunctions.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace HyperFunctions.Functions.Tests.Execution;

/// <summary>
/// POST /api/orders/{cloid}/cancel against the project's Hyperliquid simulator (real sockets, signed cancelByCloid of its
/// development account) and Azurite. Orders rest at the simulator because they are placed through POST /api/orders in
/// ARMED_LIVE with a limit below the best bid. Same collection as the other execution tests (one at a time, each owns the queue).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class OrderCancelTests(AzuriteFixture azurite) : VenueOrderTestBase(azurite, 17)
{
    private const string MarketBuy = """{"coin":"BTC","side":"buy","size":"0.001","type":"market","slippage":0.05}""";

    /// <summary>A resting BTC buy 5 % below the mid, placed through the route and the executor; its cloid.</summary>
    private async Task<string> RestAsync(TestApp app)
    {
        var mid = (await app.App.Services.GetRequiredService<IHyperliquidInfoClient>().GetAllMidsAsync(CancellationToken.None))["BTC"];
        var below = decimal.Round(mid * 0.95m, 0).ToString(CultureInfo.InvariantCulture);
        var cloid = await PostOrderAsync(app, $$"""{"coin":"BTC","side":"buy","size":"0.001","type":"limit","limitPrice":"{{below}}","tif":"Gtc"}""");
        Assert.Contains("RESTING", Assert.Single(await DeliverAllAsync(app)), StringComparison.Ordinal);
        Assert.Equal("RESTING", (string?)(await OrderAsync(app, cloid))["status"]);
        Assert.Equal("open", await VenueStatusAsync(cloid));
        return cloid;
    }

    private static Task<(int Status, JsonObject? Json)> CancelAsync(TestApp app, string cloid, string body = """{"reason":"desk: price moved"}""", string key = TestApp.AdminKey) =>
        app.SendAsync(HttpMethod.Post, $"/api/orders/{cloid}/cancel", key, body);

    [Fact]
    public async Task A_resting_order_is_cancelled_at_the_venue_and_CANCELED_is_recorded_with_the_operator_and_reason()
    {
        await using var app = await StartAsync();
        await PromoteAsync(app);
        var cloid = await RestAsync(app);

        var request = app.Request(HttpMethod.Post, $"/api/orders/{cloid.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal)}/cancel", TestApp.AdminKey, """{"reason":"desk: price moved"}""");
        request.Headers.Add("X-Operator", "alice");
        using var response = await app.Client.SendAsync(request);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True((int)response.StatusCode == 200, json.ToJsonString());
        Assert.Equal(("cancelled", cloid, "CANCELED", "canceled"), ((string?)json["result"], (string?)json["cloid"], (string?)json["status"], (string?)json["venueStatus"]));
        Assert.True((long)json["durationMs"]! >= 0);

        // At the venue: gone from the book, and the venue's own status says canceled.
        Assert.Empty(await OpenOrdersAtVenueAsync());
        Assert.Equal("canceled", await VenueStatusAsync(cloid));

        // In the order table: the state change names who and why; GET shows it.
        var order = await OrderAsync(app, cloid);
        Assert.Equal("CANCELED", (string?)order["status"]);
        Assert.Equal(["RECEIVED", "SENDING", "RESTING", "CANCELED"], Changes(order));
        var last = order["changes"]!.AsArray()[^1]!;
        Assert.Equal("operator:alice", (string?)last["actor"]);
        Assert.Contains("desk: price moved", (string?)last["reason"], StringComparison.Ordinal);
        Assert.Equal(Changes(order), Changes(json["order"]!.AsObject()));

        // A second cancel: the intent is final now.
        var (again, problem) = await CancelAsync(app, cloid);
        Assert.Equal(409, again);
        Assert.Equal(("ORDER_FINAL", "CANCELED"), ((string?)problem!["code"], (string?)problem["orderStatus"]));
        Assert.Equal(4, Changes(await OrderAsync(app, cloid)).Length);

        var metrics = await app.MetricsAsync();
        Assert.Matches(@"(?m)^hf_execution_cancels_total\{[^}]*result=""cancelled""[^}]*\} 1(\s|$)", metrics);
        Assert.Matches(@"(?m)^hf_execution_cancels_total\{[^}]*result=""ORDER_FINAL""[^}]*\} 1(\s|$)", metrics);
        Assert.Matches(@"(?m)^hf_orders_total\{[^}]*result=""CANCELED""[^}]*\} 1(\s|$)", metrics);
    }

    [Fact]
    public async Task A_cancel_is_allowed_in_HALT_because_it_only_reduces_risk()
    {
        await using var app = await StartAsync();
        await PromoteAsync(app);
        var cloid = await RestAsync(app);
        Assert.Equal(200, (await app.SendAsync(HttpMethod.Post, "/api/safety/halt", TestApp.AdminKey, """{"message":"stop new orders"}""")).Status);

        var (status, json) = await CancelAsync(app, cloid);
        Assert.True(status == 200, json?.ToJsonString());
        Assert.Equal("CANCELED", (string?)json!["status"]);
        Assert.Empty(await OpenOrdersAtVenueAsync());
    }

    [Fact]
    public async Task Unknown_malformed_unkeyed_and_never_sent_intents_are_refused_and_nothing_is_sent()
    {
        await using var app = await StartAsync();
        await PromoteAsync(app);
        var ordersBefore = Sim.Stats.Orders;

        // 400 naming each field, nothing looked up.
        var (bad, badJson) = await CancelAsync(app, "0x123");
        Assert.Equal(400, bad);
        Assert.NotNull(badJson!["errors"]!["cloid"]);
        var (noReason, noReasonJson) = await CancelAsync(app, "0x" + new string('a', 32), "{}");
        Assert.Equal(400, noReason);
        Assert.NotNull(noReasonJson!["errors"]!["reason"]);
        var (extra, extraJson) = await CancelAsync(app, "0x" + new string('a', 32), """{"reason":"x","force":true}""");
        Assert.Equal(400, extra);
        Assert.NotNull(extraJson!["errors"]!["force"]);
        var (both, bothJson) = await CancelAsync(app, "not-a-cloid", "{}");
        Assert.Equal(400, both);
        Assert.NotNull(bothJson!["errors"]!["cloid"]);
        Assert.NotNull(bothJson["errors"]!["reason"]);

        // 404 for a well-formed cloid no intent has.
        var (missing, missingJson) = await CancelAsync(app, "0x" + new string('b', 32));
        Assert.Equal(404, missing);
        Assert.Equal("NOT_FOUND", (string?)missingJson!["code"]);

        // The admin key is needed.
        Assert.Equal(403, (await CancelAsync(app, "0x" + new string('b', 32), key: TestApp.FunctionKey)).Status);
        Assert.Equal(ordersBefore, Sim.Stats.Orders);
    }

    [Fact]
    public async Task An_intent_never_sent_is_withdrawn_CANCELED_without_asking_the_venue_and_its_queued_message_places_nothing()
    {
        await using var app = await StartAsync();
        await PromoteAsync(app);
        var cloid = await PostOrderAsync(app, MarketBuy); // RECEIVED, its message queued (no listener runs here)

        var (status, json) = await CancelAsync(app, cloid);
        Assert.True(status == 200, json?.ToJsonString());
        Assert.Equal(("withdrawn", "CANCELED", null), ((string?)json!["result"], (string?)json["status"], (string?)json["venueStatus"])); // the venue was not asked
        var order = await OrderAsync(app, cloid);
        Assert.Equal(["RECEIVED", "CANCELED"], Changes(order));
        Assert.Equal("Withdrawn before it was sent, at the request of operator: desk: price moved", (string?)order["changes"]!.AsArray()[^1]!["reason"]);

        // The queued message still comes: its delivery finds a final intent and sends nothing.
        Assert.Contains("already CANCELED; nothing done", Assert.Single(await DeliverAllAsync(app)), StringComparison.Ordinal);
        Assert.Equal(0, Sim.Stats.Orders);
        Assert.Equal(("ORDER_FINAL", "CANCELED"), await CodeAsync(app, cloid));
        Assert.Matches(@"(?m)^hf_execution_cancels_total\{[^}]*result=""withdrawn""[^}]*\} 1(\s|$)", await app.MetricsAsync());
    }

    private static async Task<(string? Code, string? OrderStatus)> CodeAsync(TestApp app, string cloid)
    {
        var (status, problem) = await CancelAsync(app, cloid);
        Assert.Equal(409, status);
        return ((string?)problem!["code"], (string?)problem["orderStatus"]);
    }

    [Fact]
    public async Task A_filled_order_is_a_409_and_one_the_venue_filled_meanwhile_is_recorded_FILLED()
    {
        await using var app = await StartAsync();
        await PromoteAsync(app);

        // Recorded FILLED: refused without asking the venue.
        var filled = await PostOrderAsync(app, MarketBuy);
        Assert.Contains("FILLED", Assert.Single(await DeliverAllAsync(app)), StringComparison.Ordinal);
        var (status, json) = await CancelAsync(app, filled);
        Assert.Equal(409, status);
        Assert.Equal(("ORDER_FINAL", "FILLED"), ((string?)json!["code"], (string?)json["orderStatus"]));

        // Recorded RESTING, but the venue filled it since (the market fell through its limit): the cancel is refused by
        // the venue, the venue is asked by cloid, and what it says is recorded.
        var resting = await RestAsync(app);
        var limit = decimal.Parse((string)(await OrderAsync(app, resting))["limitPrice"]!, CultureInfo.InvariantCulture);
        Sim.Market.SetPrice("BTC", limit * 0.98m);
        Assert.Equal("filled", await VenueStatusAsync(resting));

        var (late, lateJson) = await CancelAsync(app, resting);
        Assert.Equal(409, late);
        Assert.Equal(("ALREADY_FILLED", "FILLED", "filled"), ((string?)lateJson!["code"], (string?)lateJson["orderStatus"], (string?)lateJson["venueStatus"]));
        var order = await OrderAsync(app, resting);
        Assert.Equal(["RECEIVED", "SENDING", "RESTING", "FILLED"], Changes(order));
        Assert.Equal("0.001", (string?)order["filledSize"]);
        Assert.Equal("operator", (string?)order["changes"]!.AsArray()[^1]!["actor"]);
    }

    [Fact]
    public async Task An_order_the_venue_already_cancelled_is_recorded_CANCELED_and_answered_as_already_cancelled()
    {
        await using var app = await StartAsync();
        await PromoteAsync(app);
        var cloid = await RestAsync(app);
        // Cancelled at the venue behind the order table's back (the venue UI, another process).
        var direct = await app.App.Services.GetRequiredService<HyperliquidExecutionAdapter>().CancelAsync("BTC", cloid, CancellationToken.None);
        Assert.True(direct.Cancelled, direct.Error);
        Assert.Equal("RESTING", (string?)(await OrderAsync(app, cloid))["status"]);

        var (status, json) = await CancelAsync(app, cloid);
        Assert.True(status == 200, json?.ToJsonString());
        Assert.Equal(("already_cancelled", "CANCELED", "canceled"), ((string?)json!["result"], (string?)json["status"], (string?)json["venueStatus"]));
        var order = await OrderAsync(app, cloid);
        Assert.Equal(["RECEIVED", "SENDING", "RESTING", "CANCELED"], Changes(order));
        Assert.Contains("status canceled", (string?)order["reason"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_Paper_adapter_a_paper_resting_order_is_cancelled_in_memory_and_nothing_reaches_the_venue()
    {
        await using var app = await StartPaperWithBookAsync();
        await PromoteAsync(app);
        var cloid = await PostOrderAsync(app, """{"coin":"BTC","side":"buy","size":"0.02","type":"limit","limitPrice":"1000","tif":"Gtc"}""");
        await DeliverAllAsync(app);
        Assert.Equal("RESTING", (string?)(await OrderAsync(app, cloid))["status"]);

        // The refresh asks Paper, which still has it resting: nothing written.
        var refresh = app.App.Services.GetRequiredService<FunctionCatalog>().Get<ITimerFunction>("RefreshRestingOrders");
        Assert.StartsWith("checked 1: filled 0, canceled 0, other changes 0, unchanged 1", await refresh.RunAsync(new TimerInvocation(DateTimeOffset.UtcNow, false), CancellationToken.None), StringComparison.Ordinal);

        var (status, json) = await CancelAsync(app, cloid);
        Assert.True(status == 200, json?.ToJsonString());
        Assert.Equal(("cancelled", "CANCELED"), ((string?)json!["result"], (string?)json["status"]));
        Assert.Equal(["RECEIVED", "SENDING", "RESTING", "CANCELED"], Changes(await OrderAsync(app, cloid)));
        Assert.Equal(0, Sim.Stats.Orders);
        Assert.StartsWith("checked 0:", await refresh.RunAsync(new TimerInvocation(DateTimeOffset.UtcNow, false), CancellationToken.None), StringComparison.Ordinal);
    }
}
