using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using HyperFunctions.Domain.Execution;
using HyperFunctions.Functions.Execution;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Simulator;
using HyperFunctions.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace HyperFunctions.Functions.Tests.Execution;

/// <summary>
/// The kill switch (POST /api/safety/halt with cancelAll) and the cancel-all service, against the project's
/// Hyperliquid simulator (real sockets, signed actions of its development account) and Azurite. Orders rest at
/// the simulator because they are placed through POST /api/orders in ARMED_LIVE with limits far below the mid.
/// Same collection as <see cref="ExecutionTests"/>: the tests run one at a time and each owns the order-intents queue.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class KillSwitchTests(AzuriteFixture azurite) : ExecutionTestBase(azurite, 11)
{



    /// <summary>Places resting buys far below the mid through POST /api/orders and the executor; returns their cloids.</summary>
    private async Task<List<string>> RestAsync(TestApp app, params (string Coin, string Size, string Price)[] orders)
    {
        Assert.Equal(200, (await app.SendAsync(HttpMethod.Post, "/api/safety/promote", TestApp.AdminKey, """{"reason":"kill switch test"}""")).Status);
        var cloids = new List<string>();
        foreach (var (coin, size, price) in orders)
        {
            var (status, json) = await app.SendAsync(HttpMethod.Post, "/api/orders", TestApp.AdminKey,
                $$"""{"coin":"{{coin}}","side":"buy","size":"{{size}}","type":"limit","limitPrice":"{{price}}","tif":"Gtc"}""");
            Assert.True(status == 202, json?.ToJsonString());
            cloids.Add((string)json!["cloid"]!);
        }

        var function = app.App.Services.GetRequiredService<FunctionCatalog>().Get<IQueueFunction>("ExecuteOrderIntent");
        foreach (var m in (await Queue.ReceiveMessagesAsync(32)).Value)
        {
            await function.RunAsync(new QueueInvocation(m.MessageId, m.Body.ToString(), m.DequeueCount, m.InsertedOn), CancellationToken.None);
            await Queue.DeleteMessageAsync(m.MessageId, m.PopReceipt);
        }

        foreach (var cloid in cloids) Assert.Equal("RESTING", (string?)(await OrderAsync(app, cloid))["status"]);
        Assert.Equal(orders.Length, (await OpenOrdersAtVenueAsync()).Count);
        return cloids;
    }

    private async Task<JsonArray> OpenOrdersAtVenueAsync()
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(Sim.RestUrl, "info"), new StringContent($$"""{"type":"openOrders","user":"{{Dev}}"}""", Encoding.UTF8, "application/json"));
        return (await response.Content.ReadFromJsonAsync<JsonArray>())!;
    }

    private static async Task<JsonObject> OrderAsync(TestApp app, string cloid)
    {
        var (status, json) = await app.SendAsync(HttpMethod.Get, $"/api/orders/{cloid}", TestApp.FunctionKey);
        Assert.Equal(200, status);
        return json!;
    }

    [Fact]
    public async Task The_kill_switch_HALTs_cancels_every_resting_order_arms_scheduleCancel_and_lists_each_cloid()
    {
        await using var app = await StartAsync();
        var cloids = await RestAsync(app, ("BTC", "0.02", "1000"), ("BTC", "0.02", "1100"), ("ETH", "0.2", "100"));

        var (status, json) = await app.SendAsync(HttpMethod.Post, "/api/safety/halt", TestApp.AdminKey, """{"message":"desk: stop everything","cancelAll":true}""");
        Assert.True(status == 200, json?.ToJsonString());
        Assert.Equal(("applied", "HALT", "KILL_SWITCH"), ((string?)json!["result"], (string?)json["mode"], (string?)json["reason"]));
        var kill = json["killSwitch"]!;
        Assert.Equal("complete", (string?)kill["outcome"]);
        var cancel = kill["cancel"]!;
        Assert.Equal((true, 3, 3), ((bool)cancel["complete"]!, (int)cancel["found"]!, (int)cancel["cancelled"]!));
        Assert.Null(cancel["failure"]);
        var orders = cancel["orders"]!.AsArray();
        Assert.Equal(cloids.Order(StringComparer.Ordinal), orders.Select(o => (string)o!["cloid"]!).Order(StringComparer.Ordinal));
        Assert.All(orders, o => Assert.True((bool)o!["cancelled"]! && o["error"] is null && (long)o["oid"]! > 0));
        Assert.Equal(["BTC", "BTC", "ETH"], orders.Select(o => (string)o!["coin"]!).Order(StringComparer.Ordinal));
        Assert.True((long)cancel["durationMs"]! >= 0 && (long)kill["durationMs"]! >= (long)cancel["durationMs"]!);

        // At the venue: nothing open, and the dead man's switch armed for the time the answer gives.
        Assert.Empty(await OpenOrdersAtVenueAsync());
        var schedule = kill["scheduleCancel"]!;
        Assert.True((bool)schedule["armed"]!, schedule.ToJsonString());
        Assert.Equal((long)schedule["timeMs"]!, Sim.Market.ScheduledCancelAt(Dev));

        // The intents moved to CANCELED, each with the change recorded.
        foreach (var cloid in cloids)
        {
            var order = await OrderAsync(app, cloid);
            Assert.Equal("CANCELED", (string?)order["status"]);
            Assert.Equal(["RECEIVED", "SENDING", "RESTING", "CANCELED"], order["changes"]!.AsArray().Select(c => (string)c!["status"]!));
        }

        // Status (memory) and the ledger.
        var (_, statusJson) = await app.SendAsync(HttpMethod.Get, "/api/status", TestApp.FunctionKey);
        Assert.Equal(("HALT", "KILL_SWITCH"), ((string?)statusJson!["safety"]!["mode"], (string?)statusJson["safety"]!["reason"]));
        var last = statusJson["execution"]!["lastKillSwitch"]!;
        Assert.Equal(("complete", 3, true), ((string?)last["outcome"], (int)last["cancel"]!["cancelled"]!, (bool)last["scheduleCancel"]!["armed"]!));
        Assert.DoesNotContain(SimulatorAccount.DevPrivateKey[2..], statusJson.ToJsonString(), StringComparison.OrdinalIgnoreCase);

        var metrics = await app.MetricsAsync();
        Assert.Matches(@"(?m)^hf_kill_switch_total\{[^}]*outcome=""complete""[^}]*\} 1(\s|$)", metrics);
        Assert.Matches(@"(?m)^hf_orders_total\{[^}]*result=""CANCELED""[^}]*\} 3(\s|$)", metrics);
        Assert.Matches(@"(?m)^hf_orders_cancelled_total(\{[^}]*\})? 3(\s|$)", metrics);

        // The failover pre-hook's service: nothing left to cancel, a complete empty report.
        var again = await app.App.Services.GetRequiredService<IOpenOrderCanceller>().CancelAllAsync("failover pre-hook", CancellationToken.None);
        Assert.True(again.Complete);
        Assert.Empty(again.Orders);
    }

    [Fact]
    public async Task With_the_venue_down_the_kill_switch_still_HALTs_and_says_the_cancel_failed()
    {
        await using var app = await StartAsync();
        var cloids = await RestAsync(app, ("BTC", "0.02", "1000"));
        var fault = Sim.Faults.HttpErrors(503);

        var (status, json) = await app.SendAsync(HttpMethod.Post, "/api/safety/halt", TestApp.AdminKey, """{"message":"venue down","cancelAll":true}""");
        Assert.True(status == 200, json?.ToJsonString());
        Assert.Equal(("applied", "HALT", "KILL_SWITCH"), ((string?)json!["result"], (string?)json["mode"], (string?)json["reason"]));
        var kill = json["killSwitch"]!;
        Assert.Equal("cancel_failed", (string?)kill["outcome"]);
        Assert.False((bool)kill["cancel"]!["complete"]!);
        Assert.False(string.IsNullOrWhiteSpace((string?)kill["cancel"]!["failure"]));
        Assert.False((bool)kill["scheduleCancel"]!["armed"]!);
        Assert.False(string.IsNullOrWhiteSpace((string?)kill["scheduleCancel"]!["error"]));

        // Nothing pretended: once the venue answers again, the order is still there and its intent still RESTING.
        Sim.Faults.Remove(fault.Id);
        Assert.Equal(cloids[0], (string?)Assert.Single(await OpenOrdersAtVenueAsync())!["cloid"]);
        Assert.Equal("RESTING", (string?)(await OrderAsync(app, cloids[0]))["status"]);
        Assert.Null(Sim.Market.ScheduledCancelAt(Dev));

        // An incomplete kill switch is an open level-4 alert of its own (beside the ledger's HALT alert).
        var (_, alerts) = await app.SendAsync(HttpMethod.Get, "/api/alerts", TestApp.FunctionKey);
        var open = alerts!["open"]!.AsArray().Single(a => (string?)a!["key"] == KillSwitch.AlertKey)!;
        Assert.Equal(4, (int)open["level"]!);
        Assert.Contains("cancel_failed", (string?)open["title"], StringComparison.Ordinal);

        // A second kill switch with the venue back cancels it and resolves that alert.
        var (status2, json2) = await app.SendAsync(HttpMethod.Post, "/api/safety/halt", TestApp.AdminKey, """{"message":"again","cancelAll":true}""");
        Assert.Equal(200, status2);
        Assert.Equal(("HALT", "complete"), ((string?)json2!["mode"], (string?)json2["killSwitch"]!["outcome"]));
        Assert.Empty(await OpenOrdersAtVenueAsync());
        var (_, after) = await app.SendAsync(HttpMethod.Get, "/api/alerts", TestApp.FunctionKey);
        Assert.DoesNotContain(after!["open"]!.AsArray(), a => (string?)a!["key"] == KillSwitch.AlertKey);
    }

    [Theory]
    [InlineData("""{"message":"x","cancelAll":"yes"}""", "cancelAll")]
    [InlineData("""{"message":"x","cancelAll":1}""", "cancelAll")]
    [InlineData("""{"message":"x","cancelAll":true,"reasonCode":"MANUAL_HALT"}""", "reasonCode")]
    [InlineData("""{"cancelAll":true}""", "message")]
    [InlineData("""{"message":"x","cancelAll":true,"cancelEverything":true}""", "cancelEverything")]
    public async Task A_bad_body_is_a_400_naming_the_field_and_neither_halts_nor_cancels(string body, string field)
    {
        await using var app = await StartAsync();
        await RestAsync(app, ("BTC", "0.02", "1000"));

        var (status, json) = await app.SendAsync(HttpMethod.Post, "/api/safety/halt", TestApp.AdminKey, body);
        Assert.Equal(400, status);
        Assert.NotNull(json!["errors"]![field]);
        var (_, statusJson) = await app.SendAsync(HttpMethod.Get, "/api/status", TestApp.FunctionKey);
        Assert.Equal("ARMED_LIVE", (string?)statusJson!["safety"]!["mode"]);
        Assert.Single(await OpenOrdersAtVenueAsync());
        Assert.Null(Sim.Market.ScheduledCancelAt(Dev));
    }

    [Fact]
    public async Task Without_cancelAll_the_halt_cancels_nothing_and_needs_the_admin_key()
    {
        await using var app = await StartAsync();
        await RestAsync(app, ("BTC", "0.02", "1000"));
        Assert.Equal(403, (await app.SendAsync(HttpMethod.Post, "/api/safety/halt", TestApp.FunctionKey, """{"message":"x","cancelAll":true}""")).Status);

        var (status, json) = await app.SendAsync(HttpMethod.Post, "/api/safety/halt", TestApp.AdminKey, """{"message":"plain halt","cancelAll":false}""");
        Assert.Equal(200, status);
        Assert.Equal(("applied", "HALT", "MANUAL_HALT"), ((string?)json!["result"], (string?)json["mode"], (string?)json["reason"]));
        Assert.Null(json["killSwitch"]);
        Assert.Single(await OpenOrdersAtVenueAsync());
        Assert.Null(Sim.Market.ScheduledCancelAt(Dev));
    }

    [Fact]
    public async Task With_the_Paper_adapter_the_kill_switch_cancels_paper_resting_orders_and_sends_nothing()
    {
        await using var app = await StartPaperWithBookAsync();
        Assert.Equal(200, (await app.SendAsync(HttpMethod.Post, "/api/safety/promote", TestApp.AdminKey, """{"reason":"paper"}""")).Status);
        var (_, placed) = await app.SendAsync(HttpMethod.Post, "/api/orders", TestApp.AdminKey, """{"coin":"BTC","side":"buy","size":"0.02","type":"limit","limitPrice":"1000","tif":"Gtc"}""");
        var cloid = (string)placed!["cloid"]!;
        var function = app.App.Services.GetRequiredService<FunctionCatalog>().Get<IQueueFunction>("ExecuteOrderIntent");
        foreach (var m in (await Queue.ReceiveMessagesAsync(32)).Value)
        {
            await function.RunAsync(new QueueInvocation(m.MessageId, m.Body.ToString(), m.DequeueCount, m.InsertedOn), CancellationToken.None);
            await Queue.DeleteMessageAsync(m.MessageId, m.PopReceipt);
        }
        Assert.Equal("RESTING", (string?)(await OrderAsync(app, cloid))["status"]);

        var (status, json) = await app.SendAsync(HttpMethod.Post, "/api/safety/halt", TestApp.AdminKey, """{"message":"paper stop","cancelAll":true}""");
        Assert.Equal(200, status);
        var kill = json!["killSwitch"]!;
        Assert.Equal(cloid, (string?)Assert.Single(kill["cancel"]!["orders"]!.AsArray())!["cloid"]);
        Assert.True((bool)kill["cancel"]!["complete"]!);
        // Paper has no venue switch: said so, and the run is not "complete".
        Assert.Equal(("incomplete", false), ((string?)kill["outcome"], (bool)kill["scheduleCancel"]!["armed"]!));
        Assert.Contains("Paper", (string?)kill["scheduleCancel"]!["error"], StringComparison.Ordinal);
        Assert.Equal("CANCELED", (string?)(await OrderAsync(app, cloid))["status"]);
        Assert.Equal(0, Sim.Stats.Orders);
        Assert.Null(Sim.Market.ScheduledCancelAt(Dev));
    }
}
