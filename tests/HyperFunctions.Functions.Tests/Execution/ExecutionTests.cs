using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using HyperFunctions.Configuration;
using HyperFunctions.Functions.Execution;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Simulator;
using HyperFunctions.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace HyperFunctions.Functions.Tests.Execution;

/// <summary>
/// Order intents end to end: POST /api/orders → the order-intents queue → ExecuteOrderIntent → the
/// project's Hyperliquid simulator (real sockets, signed orders of its development account) and Azurite.
/// Orders are counted at the simulator. The tests of this collection run one at a time, so each owns the
/// order-intents queue while it runs (it is emptied before and after).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ExecutionTests(AzuriteFixture azurite) : ExecutionTestBase(azurite, 7)
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);



    private static string Market(string side, string size = "0.001", string? key = null) =>
        $$"""{"coin":"BTC","side":"{{side}}","size":"{{size}}","type":"market","slippage":0.05}""";

    private static async Task<string> PostAsync(TestApp app, string body, string? idempotencyKey = null)
    {
        var request = app.Request(HttpMethod.Post, "/api/orders", TestApp.AdminKey, body);
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await app.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == 202, $"POST /api/orders answered {(int)response.StatusCode}: {text}");
        var json = JsonNode.Parse(text)!;
        Assert.Matches("^0x[0-9a-f]{32}$", (string?)json["cloid"]);
        return (string)json["cloid"]!;
    }

    /// <summary>Receives every message on the queue and runs ExecuteOrderIntent on it as the self-host listener would; returns the summaries.</summary>
    private async Task<List<string>> DeliverAllAsync(TestApp app, bool delete = true)
    {
        var function = app.App.Services.GetRequiredService<FunctionCatalog>().Get<IQueueFunction>("ExecuteOrderIntent");
        var summaries = new List<string>();
        foreach (var m in (await Queue.ReceiveMessagesAsync(32)).Value)
        {
            summaries.Add(await function.RunAsync(new QueueInvocation(m.MessageId, m.Body.ToString(), m.DequeueCount, m.InsertedOn), CancellationToken.None));
            if (delete) await Queue.DeleteMessageAsync(m.MessageId, m.PopReceipt);
        }
        return summaries;
    }

    private static async Task<JsonObject> OrderAsync(TestApp app, string cloid)
    {
        var (status, json) = await app.SendAsync(HttpMethod.Get, $"/api/orders/{cloid}", TestApp.FunctionKey);
        Assert.Equal(200, status);
        return json!;
    }

    private static string[] Changes(JsonObject order) => order["changes"]!.AsArray().Select(c => (string)c!["status"]!).ToArray();

    private static async Task PromoteAsync(TestApp app) =>
        Assert.Equal(200, (await app.SendAsync(HttpMethod.Post, "/api/safety/promote", TestApp.AdminKey, """{"reason":"execution test"}""")).Status);

    [Fact]
    public async Task In_ARMED_LIVE_an_intent_fills_through_the_self_host_queue_listener_and_a_redelivery_sends_nothing_more()
    {
        await using var app = await StartAsync(new() { ["Hosting:RunQueues"] = "true" });
        var results = new ConcurrentQueue<LastOrderResult>();
        var filled = new TaskCompletionSource<LastOrderResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        app.App.Services.GetRequiredService<ExecutionMonitor>().ResultRecorded += r =>
        {
            results.Enqueue(r);
            filled.TrySetResult(r);
        };
        await PromoteAsync(app);

        var cloid = await PostAsync(app, Market("buy"), "live-fill-1");
        var result = await filled.Task.WaitAsync(HangGuard);
        Assert.Equal((cloid, "FILLED"), (result.Cloid, result.Status));
        Assert.Equal(1, Sim.Stats.Orders);

        var order = await OrderAsync(app, cloid);
        Assert.Equal("FILLED", (string?)order["status"]);
        Assert.Equal(["RECEIVED", "SENDING", "FILLED"], Changes(order));
        Assert.NotNull(order["oid"]);
        Assert.Equal("0.001", (string?)order["filledSize"]);

        // The same message again (at-least-once delivery), and the same POST again: no second order.
        await app.App.Services.GetRequiredService<FunctionCatalog>().Get<IQueueFunction>("ExecuteOrderIntent")
            .RunAsync(new QueueInvocation("redelivered", OrderIntentMessage.From((await ReadIntentAsync(app, cloid))).ToJson(), 2, null), CancellationToken.None);
        Assert.Equal(cloid, await PostAsync(app, Market("buy"), "live-fill-1"));
        Assert.Equal(1, Sim.Stats.Orders);
        Assert.Equal(["RECEIVED", "SENDING", "FILLED"], Changes(await OrderAsync(app, cloid)));

        var (_, status) = await app.SendAsync(HttpMethod.Get, "/api/status", TestApp.FunctionKey);
        var execution = status!["execution"]!;
        Assert.Equal(("live", "Hyperliquid", "FILLED"), ((string?)execution["mode"], (string?)execution["adapter"], (string?)execution["lastResult"]!["status"]));
        Assert.DoesNotContain(SimulatorAccount.DevPrivateKey[2..], status.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<Domain.Execution.OrderIntent> ReadIntentAsync(TestApp app, string cloid) =>
        (await app.App.Services.GetRequiredService<Storage.Execution.OrderStore>().GetAsync(cloid, CancellationToken.None))!.Intent;

    [Fact]
    public async Task A_previous_attempt_that_reached_the_venue_is_found_by_cloid_and_never_sent_twice()
    {
        await using var app = await StartAsync();
        await PromoteAsync(app);
        var cloid = await PostAsync(app, Market("buy"), "crash-after-send");
        // A process sent the order and died before recording the result: the row says SENDING.
        var store = app.App.Services.GetRequiredService<Storage.Execution.OrderStore>();
        var record = (await store.GetAsync(cloid, CancellationToken.None))!;
        await store.TransitionAsync(record, Domain.Execution.OrderStatus.Sending, "crashed test attempt", null, "test", DateTimeOffset.UtcNow, CancellationToken.None);
        var adapter = app.App.Services.GetRequiredService<HyperliquidExecutionAdapter>();
        Assert.Equal(Domain.Execution.OrderStatus.Filled, (await adapter.PlaceAsync(record.Intent, false, CancellationToken.None)).Status);
        Assert.Equal(1, Sim.Stats.Orders);

        var summaries = await DeliverAllAsync(app);
        Assert.Contains("FILLED", Assert.Single(summaries), StringComparison.Ordinal);
        Assert.Equal(1, Sim.Stats.Orders);
        Assert.Equal(["RECEIVED", "SENDING", "FILLED"], Changes(await OrderAsync(app, cloid)));
    }

    [Fact]
    public async Task In_ARMED_SAFE_an_order_is_blocked_unless_it_reduces_the_venue_position()
    {
        await using var app = await StartAsync();
        // Start mode is ARMED_SAFE and the account is flat: a buy would open a position.
        var opening = await PostAsync(app, Market("buy", "0.002"));
        await DeliverAllAsync(app);
        var blocked = await OrderAsync(app, opening);
        Assert.Equal("BLOCKED", (string?)blocked["status"]);
        Assert.Contains("ARMED_SAFE", (string?)blocked["reason"], StringComparison.Ordinal);
        Assert.Equal(0, Sim.Stats.Orders);

        // Open a long in ARMED_LIVE, then back to ARMED_SAFE (halt, reset).
        await PromoteAsync(app);
        var open = await PostAsync(app, Market("buy", "0.002"));
        await DeliverAllAsync(app);
        Assert.Equal("FILLED", (string?)(await OrderAsync(app, open))["status"]);
        Assert.Equal(200, (await app.SendAsync(HttpMethod.Post, "/api/safety/halt", TestApp.AdminKey, """{"message":"test"}""")).Status);
        Assert.Equal(200, (await app.SendAsync(HttpMethod.Post, "/api/safety/reset", TestApp.AdminKey, """{"mode":"ARMED_SAFE","message":"test"}""")).Status);

        var grow = await PostAsync(app, Market("buy", "0.001"));
        var reduce = await PostAsync(app, Market("sell", "0.001"));
        var flip = await PostAsync(app, Market("sell", "0.005")); // larger than the position: would open a short
        await DeliverAllAsync(app);
        Assert.Equal("BLOCKED", (string?)(await OrderAsync(app, grow))["status"]);
        Assert.Equal("FILLED", (string?)(await OrderAsync(app, reduce))["status"]);
        Assert.Equal("BLOCKED", (string?)(await OrderAsync(app, flip))["status"]);
        Assert.Equal(2, Sim.Stats.Orders);

        var (status, list) = await app.SendAsync(HttpMethod.Get, "/api/orders?status=BLOCKED&limit=10", TestApp.FunctionKey);
        Assert.Equal(200, status);
        Assert.Equal(3, list!["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task In_HALT_nothing_is_sent()
    {
        await using var app = await StartAsync();
        await PromoteAsync(app);
        Assert.Equal(200, (await app.SendAsync(HttpMethod.Post, "/api/safety/halt", TestApp.AdminKey, """{"message":"test"}""")).Status);
        var cloid = await PostAsync(app, Market("buy"));
        await DeliverAllAsync(app);
        var order = await OrderAsync(app, cloid);
        Assert.Equal("BLOCKED", (string?)order["status"]);
        Assert.Equal(["RECEIVED", "BLOCKED"], Changes(order));
        Assert.Contains("HALT", (string?)order["reason"], StringComparison.Ordinal);
        Assert.Equal(0, Sim.Stats.Orders);
    }

    [Fact]
    public async Task Dry_run_records_DRY_RUN_and_sends_nothing()
    {
        await using var app = await StartAsync(new() { ["Execution:Mode"] = "dry-run" });
        await PromoteAsync(app);
        var cloid = await PostAsync(app, """{"coin":"BTC","side":"buy","size":0.001,"type":"limit","limitPrice":"1000","tif":"Alo"}""");
        await DeliverAllAsync(app);
        Assert.Equal("DRY_RUN", (string?)(await OrderAsync(app, cloid))["status"]);
        Assert.Equal(0, Sim.Stats.Orders);
    }

    [Fact]
    public async Task Limits_block_with_their_reason()
    {
        await using var app = await StartAsync(new() { ["Execution:MaxNotional"] = "10" });
        await PromoteAsync(app);
        var cloid = await PostAsync(app, Market("buy"));
        await DeliverAllAsync(app);
        var order = await OrderAsync(app, cloid);
        Assert.Equal("BLOCKED", (string?)order["status"]);
        Assert.Contains("MaxNotional", (string?)order["reason"], StringComparison.Ordinal);
        Assert.Equal(0, Sim.Stats.Orders);
    }

    [Theory]
    [InlineData("""{"coin":"BTC","side":"long","size":"0.001","type":"market","slippage":0.05}""", "side")]
    [InlineData("""{"coin":"BTC","side":"buy","size":"-1","type":"market","slippage":0.05}""", "size")]
    [InlineData("""{"coin":"BTC","side":"buy","size":"1e3","type":"market","slippage":0.05}""", "size")]
    [InlineData("""{"coin":"BTC","side":"buy","size":"0.001","type":"limit"}""", "limitPrice")]
    [InlineData("""{"coin":"BTC","side":"buy","size":"0.001","type":"market"}""", "slippage")]
    [InlineData("""{"coin":"BTC","side":"buy","size":"0.001","type":"limit","limitPrice":"1","tif":"Fok"}""", "tif")]
    [InlineData("""{"coin":"BTC","side":"buy","size":"0.001","type":"limit","limitPrice":"1","cloid":"0x1"}""", "cloid")]
    [InlineData("""{"coin":"BTC","side":"buy","size":"0.001","type":"limit","limitPrice":"1","leverage":5}""", "leverage")]
    [InlineData("""{"side":"buy","size":"0.001","type":"limit","limitPrice":"1"}""", "coin")]
    [InlineData("""[1]""", "body")]
    public async Task A_bad_body_is_a_400_naming_the_field_and_nothing_is_recorded_or_queued(string body, string field)
    {
        await using var app = await StartAsync();
        var (status, json) = await app.SendAsync(HttpMethod.Post, "/api/orders", TestApp.AdminKey, body);
        Assert.Equal(400, status);
        Assert.NotNull(json!["errors"]![field]);
        Assert.Empty((await Queue.PeekMessagesAsync(32)).Value);
        var (listed, list) = await app.SendAsync(HttpMethod.Get, "/api/orders", TestApp.FunctionKey);
        Assert.True(listed == 200, $"GET /api/orders answered {listed}: {list?.ToJsonString()}");
        Assert.Empty(list!["items"]!.AsArray());
    }

    [Fact]
    public async Task Orders_need_the_admin_key_to_place_and_the_function_key_to_read()
    {
        await using var app = await StartAsync();
        Assert.Equal(403, (await app.SendAsync(HttpMethod.Post, "/api/orders", TestApp.FunctionKey, Market("buy"))).Status);
        Assert.Equal(401, (await app.SendAsync(HttpMethod.Get, "/api/orders", null)).Status);
        Assert.Equal(400, (await app.SendAsync(HttpMethod.Get, "/api/orders/not-a-cloid", TestApp.FunctionKey)).Status);
        Assert.Equal(404, (await app.SendAsync(HttpMethod.Get, "/api/orders/0x" + new string('0', 32), TestApp.FunctionKey)).Status);
        Assert.Equal(400, (await app.SendAsync(HttpMethod.Get, "/api/orders?status=DONE", TestApp.FunctionKey)).Status);
    }

    [Fact]
    public async Task ExecuteOrderIntent_runs_a_host_shaped_custom_handler_payload()
    {
        await using var app = await StartAsync(new() { ["FUNCTIONS_CUSTOMHANDLER_PORT"] = "7071", ["Api:AdminKey"] = null, ["Api:FunctionKey"] = null });
        Assert.Equal(200, (await app.SendAsync(HttpMethod.Post, "/api/safety/promote", null, """{"reason":"test"}""")).Status);
        var intent = Domain.Execution.OrderIntentRules.Validate(new("BTC", "buy", 0.001m, "market", null, 0.05m, null, false, null), "host-shaped-1").Intent!;
        var message = OrderIntentMessage.From(intent).ToJson();
        Assert.Equal(["intent"], JsonNode.Parse(message)!.AsObject().Select(p => p.Key)); // nothing at the top for the host to merge over Id/DequeueCount

        var (status, json) = await app.SendAsync(HttpMethod.Post, "/ExecuteOrderIntent", null, HostShapedPayloads.Queue("intent", message, dequeueCount: 1));
        Assert.True(status == 200, json?.ToJsonString());
        Assert.Contains("FILLED", (string?)json!["ReturnValue"], StringComparison.Ordinal);
        // The host delivers the message again (e.g. the answer was lost): still one order.
        Assert.Equal(200, (await app.SendAsync(HttpMethod.Post, "/ExecuteOrderIntent", null, HostShapedPayloads.Queue("intent", message, dequeueCount: 2))).Status);
        Assert.Equal(1, Sim.Stats.Orders);
        Assert.Equal("FILLED", (string?)(await app.SendAsync(HttpMethod.Get, $"/api/orders/{intent.Cloid}", null)).Json!["status"]);
    }

    [Fact]
    public async Task The_Paper_adapter_fills_at_the_keepers_book_and_sends_nothing()
    {
        await using var app = await StartPaperWithBookAsync();
        await PromoteAsync(app);

        var taker = await PostAsync(app, Market("buy"));
        var passive = await PostAsync(app, """{"coin":"BTC","side":"buy","size":"0.001","type":"limit","limitPrice":"1","tif":"Gtc"}""");
        await DeliverAllAsync(app);
        var filled = await OrderAsync(app, taker);
        Assert.Equal("FILLED", (string?)filled["status"]);
        Assert.Contains("Paper fill", (string?)filled["reason"], StringComparison.Ordinal);
        Assert.NotNull(filled["averagePrice"]);
        Assert.Equal("RESTING", (string?)(await OrderAsync(app, passive))["status"]);
        Assert.Equal(0, Sim.Stats.Orders);
    }

    [Fact]
    public async Task An_adapter_that_does_not_exist_HALTs_the_instance_at_start()
    {
        await using var app = await StartAsync(new() { ["Execution:Adapter"] = "Binance" });
        var (_, status) = await app.SendAsync(HttpMethod.Get, "/api/status", TestApp.FunctionKey);
        Assert.Equal(("HALT", "EXECUTION_ADAPTER_NOT_IMPLEMENTED"), ((string?)status!["safety"]!["mode"], (string?)status["safety"]!["reason"]));
        Assert.False((bool)status["execution"]!["adapterImplemented"]!);
    }

    [Fact]
    public async Task Live_trading_in_a_live_deployment_without_the_key_is_a_start_up_error_naming_the_variable()
    {
        var ex = await Assert.ThrowsAsync<ConfigurationValidationException>(() => TestApp.BuildAsync(Azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["Deployment:Mode"] = "Live",
            ["Hyperliquid:Network"] = "Testnet",
            ["Hyperliquid:RestUrl"] = null,
            ["Hyperliquid:WsUrl"] = null,
        }));
        Assert.Contains("Hyperliquid__PrivateKey", ex.Message, StringComparison.Ordinal);
    }
}
