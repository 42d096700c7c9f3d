using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using HyperFunctions.Domain.Execution;
using HyperFunctions.Functions.Execution;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Hyperliquid.Rest;
using HyperFunctions.Simulator;
using HyperFunctions.Storage.Execution;
using HyperFunctions.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace HyperFunctions.Functions.Tests.Execution;

/// <summary>
/// UNKNOWN resolution, the retry budget, 429 backoff and the dry-run boot event, against the project's simulator
/// (real sockets, signed orders of its development account) and Azurite; orders are counted at the simulator.
/// The resolution timer is run as the scheduler runs it (through the function catalog).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class UnknownResolutionTests(AzuriteFixture azurite) : ExecutionTestBase(azurite, 11)
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(90);
    private const string MarketBuy = """{"coin":"BTC","side":"buy","size":"0.001","type":"market","slippage":0.05}""";



    private static async Task<string> PostAsync(TestApp app, string body, string key)
    {
        var request = app.Request(HttpMethod.Post, "/api/orders", TestApp.AdminKey, body);
        request.Headers.Add("Idempotency-Key", key);
        using var response = await app.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == 202, $"POST /api/orders answered {(int)response.StatusCode}: {text}");
        return (string)JsonNode.Parse(text)!["cloid"]!;
    }

    private async Task<List<string>> DeliverAllAsync(TestApp app)
    {
        var function = app.App.Services.GetRequiredService<FunctionCatalog>().Get<IQueueFunction>("ExecuteOrderIntent");
        var summaries = new List<string>();
        foreach (var m in (await Queue.ReceiveMessagesAsync(32)).Value)
        {
            summaries.Add(await function.RunAsync(new QueueInvocation(m.MessageId, m.Body.ToString(), m.DequeueCount, m.InsertedOn), CancellationToken.None));
            await Queue.DeleteMessageAsync(m.MessageId, m.PopReceipt);
        }
        return summaries;
    }

    private static Task<string> ResolveAsync(TestApp app) =>
        app.App.Services.GetRequiredService<FunctionCatalog>().Get<ITimerFunction>("ResolveUnknownOrders")
            .RunAsync(new TimerInvocation(DateTimeOffset.UtcNow, false), CancellationToken.None);

    private static async Task<JsonObject> OrderAsync(TestApp app, string cloid)
    {
        var (status, json) = await app.SendAsync(HttpMethod.Get, $"/api/orders/{cloid}", TestApp.FunctionKey);
        Assert.Equal(200, status);
        return json!;
    }

    private static string[] Changes(JsonObject order) => order["changes"]!.AsArray().Select(c => (string)c!["status"]!).ToArray();

    private static async Task PromoteAsync(TestApp app) =>
        Assert.Equal(200, (await app.SendAsync(HttpMethod.Post, "/api/safety/promote", TestApp.AdminKey, """{"reason":"resolution test"}""")).Status);

    /// <summary>The intent's row as a send that lost its answer leaves it: SENDING (one attempt), then UNKNOWN.</summary>
    private static async Task<OrderRecord> LeaveUnknownAsync(TestApp app, string cloid)
    {
        var store = app.App.Services.GetRequiredService<OrderStore>();
        var record = (await store.GetAsync(cloid, CancellationToken.None))!;
        var now = DateTimeOffset.UtcNow;
        record = await store.TransitionAsync(record, OrderStatus.Sending, "test send", null, "test", now, CancellationToken.None, record.Attempts.Next(now));
        return await store.TransitionAsync(record, OrderStatus.Unknown, "test: no answer read", null, "test", now, CancellationToken.None);
    }

    [Fact]
    public async Task An_UNKNOWN_order_the_venue_has_is_resolved_by_cloid_and_never_sent_twice()
    {
        await using var app = await StartAsync();
        await PromoteAsync(app);
        var filledCloid = await PostAsync(app, MarketBuy, "resolve-filled");
        var mid = (await app.App.Services.GetRequiredService<IHyperliquidInfoClient>().GetAllMidsAsync(CancellationToken.None))["BTC"];
        var below = decimal.Round(mid * 0.95m, 0).ToString(System.Globalization.CultureInfo.InvariantCulture); // rests: below the best bid, near enough to be accepted
        var restingCloid = await PostAsync(app, $$"""{"coin":"BTC","side":"buy","size":"0.001","type":"limit","limitPrice":"{{below}}","tif":"Gtc"}""", "resolve-resting");
        await Queue.ClearMessagesAsync(); // the messages of a process that died: only the timer can resolve them now

        // Both were sent and reached the venue, but no answer was read: UNKNOWN.
        var adapter = app.App.Services.GetRequiredService<HyperliquidExecutionAdapter>();
        foreach (var cloid in new[] { filledCloid, restingCloid })
        {
            var record = await LeaveUnknownAsync(app, cloid);
            Assert.NotEqual(OrderStatus.Unknown, (await adapter.PlaceAsync(record.Intent, false, CancellationToken.None)).Status);
        }
        Assert.Equal(2, Sim.Stats.Orders);
        var store = app.App.Services.GetRequiredService<OrderStore>();
        Assert.Equal(2, (await store.ListOpenAsync(CancellationToken.None)).Count);

        var summary = await ResolveAsync(app);
        Assert.Contains("resolved 2", summary, StringComparison.Ordinal);
        var filled = await OrderAsync(app, filledCloid);
        Assert.Equal("FILLED", (string?)filled["status"]);
        Assert.Equal(["RECEIVED", "SENDING", "UNKNOWN", "FILLED"], Changes(filled));
        Assert.NotNull(filled["oid"]);
        Assert.Equal("RESTING", (string?)(await OrderAsync(app, restingCloid))["status"]);
        Assert.Empty(await store.ListOpenAsync(CancellationToken.None)); // the open index follows the results
        Assert.Equal(2, Sim.Stats.Orders);

        // A second pass finds nothing open; the queue holds nothing.
        Assert.StartsWith("open 0", await ResolveAsync(app), StringComparison.Ordinal);
        Assert.Empty((await Queue.PeekMessagesAsync(32)).Value);
        Assert.Equal(2, Sim.Stats.Orders);
    }

    [Fact]
    public async Task An_UNKNOWN_order_the_venue_never_got_is_queued_again_judged_anew_and_placed_once()
    {
        await using var app = await StartAsync(new() { ["Execution:Resolution:NotFoundGraceSeconds"] = "0" });
        await PromoteAsync(app);
        var cloid = await PostAsync(app, MarketBuy, "resolve-never-sent");
        await Queue.ClearMessagesAsync();
        await LeaveUnknownAsync(app, cloid); // the send died before reaching the venue
        Assert.Equal(0, Sim.Stats.Orders);

        Assert.Contains("queued again 1", await ResolveAsync(app), StringComparison.Ordinal);
        var waiting = await OrderAsync(app, cloid);
        Assert.Equal("UNKNOWN", (string?)waiting["status"]);
        Assert.Contains("queued again", (string?)waiting["reason"], StringComparison.Ordinal);
        Assert.Equal(0, Sim.Stats.Orders);

        var summaries = await DeliverAllAsync(app);
        Assert.Contains("FILLED", Assert.Single(summaries), StringComparison.Ordinal);
        Assert.Equal(1, Sim.Stats.Orders);
        var order = await OrderAsync(app, cloid);
        Assert.Equal(["RECEIVED", "SENDING", "UNKNOWN", "UNKNOWN", "SENDING", "FILLED"], Changes(order));
        Assert.Equal(3, (int)order["attempts"]!); // the lost send, the timer's look-up, the new send

        // Nothing is open any more: later passes and a redelivery send nothing.
        Assert.StartsWith("open 0", await ResolveAsync(app), StringComparison.Ordinal);
        Assert.Empty(await DeliverAllAsync(app));
        Assert.Equal(1, Sim.Stats.Orders);
    }

    [Theory]
    [InlineData(null, "HALT")]
    [InlineData("safe", "ARMED_SAFE")]
    public async Task An_exhausted_retry_budget_moves_the_ledger_alerts_and_stops_automatic_retries(string? budgetMode, string expectedMode)
    {
        var settings = new Dictionary<string, string?> { ["Execution:RetryBudget:MaxAttempts"] = "2" };
        if (budgetMode is not null) settings["Execution:RetryBudgetMode"] = budgetMode;
        await using var app = await StartAsync(settings);
        await PromoteAsync(app);
        var cloid = await PostAsync(app, MarketBuy, "budget-" + expectedMode);
        await Queue.ClearMessagesAsync();
        await LeaveUnknownAsync(app, cloid); // attempt 1: the send

        Assert.Contains("waiting 1", await ResolveAsync(app), StringComparison.Ordinal); // attempt 2: a look-up, within the grace period
        Assert.Contains("budget exceeded 1", await ResolveAsync(app), StringComparison.Ordinal);

        var (_, status) = await app.SendAsync(HttpMethod.Get, "/api/status", TestApp.FunctionKey);
        Assert.Equal((expectedMode, "EXECUTION_RETRY_BUDGET_EXCEEDED"), ((string?)status!["safety"]!["mode"], (string?)status["safety"]!["reason"]));
        var order = await OrderAsync(app, cloid);
        Assert.Equal("UNKNOWN", (string?)order["status"]);
        Assert.True((bool)order["retryBudgetExceeded"]!);
        Assert.Contains("EXECUTION_RETRY_BUDGET_EXCEEDED", (string?)order["reason"], StringComparison.Ordinal);

        var (alertsStatus, alerts) = await app.SendAsync(HttpMethod.Get, "/api/alerts?state=open", TestApp.FunctionKey);
        Assert.Equal(200, alertsStatus);
        var alert = Assert.Single(alerts!["open"]!.AsArray(), a => (string?)a!["key"] == RetryBudgetGuard.AlertKey(cloid))!;
        Assert.Equal(expectedMode == "HALT" ? 4 : 3, (int)alert["level"]!);

        // Not retried automatically: another pass and a redelivered message change nothing and send nothing.
        var changes = Changes(order).Length;
        Assert.Contains("budget exceeded 1", await ResolveAsync(app), StringComparison.Ordinal);
        var record = (await app.App.Services.GetRequiredService<OrderStore>().GetAsync(cloid, CancellationToken.None))!;
        var summary = await app.App.Services.GetRequiredService<FunctionCatalog>().Get<IQueueFunction>("ExecuteOrderIntent")
            .RunAsync(new QueueInvocation("again", OrderIntentMessage.From(record.Intent).ToJson(), 1, null), CancellationToken.None);
        Assert.Contains("retry budget exceeded", summary, StringComparison.Ordinal);
        Assert.Equal(changes, Changes(await OrderAsync(app, cloid)).Length);
        Assert.Equal(0, Sim.Stats.Orders);
    }

    [Fact]
    public async Task A_rate_limited_intent_comes_back_later_as_a_delayed_message_and_is_placed_once_after_the_limit_ends()
    {
        await using var app = await StartAsync(new()
        {
            ["Hosting:RunQueues"] = "true",
            ["Execution:RateLimitBackoff:BaseSeconds"] = "1",
            ["Execution:RateLimitBackoff:MaxSeconds"] = "2",
        });
        var results = app.App.Services.GetRequiredService<ExecutionMonitor>();
        var filled = new TaskCompletionSource<LastOrderResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        results.ResultRecorded += r =>
        {
            if (r.Status == "FILLED") filled.TrySetResult(r);
        };
        var rateLimits = app.App.Services.GetRequiredService<RateLimitMonitor>();
        var before = rateLimits.Snapshot().TotalRateLimited;
        await PromoteAsync(app);

        // Every REST request answers 429 until the fault is removed: the intent cannot be placed, and is not lost.
        var requeued = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        results.RateLimitedRequeued += (_, attempt) => requeued.TrySetResult(attempt);
        var fault = Sim.Faults.RateLimit(10_000);
        var cloid = await PostAsync(app, MarketBuy, "rate-limited-1");
        Assert.Equal(1, await requeued.Task.WaitAsync(HangGuard));
        Assert.Equal(0, Sim.Stats.Orders);
        var store = app.App.Services.GetRequiredService<OrderStore>();
        var waiting = (await store.GetAsync(cloid, CancellationToken.None))!;
        Assert.NotEqual(OrderStatus.Sending, waiting.Status); // certainly not placed: nothing to resolve
        Assert.NotEqual(OrderStatus.Unknown, waiting.Status);
        // Open only as RECEIVED (queued, never sent): nothing the resolver asks the venue about.
        Assert.All(await store.ListOpenAsync(CancellationToken.None), o => Assert.Equal(OrderStatus.Received, o.Status));
        Assert.True(rateLimits.Snapshot().TotalRateLimited > before); // the 429s reach the RATE_LIMITED accounting (ErrorRateCheck)
        Assert.NotNull(rateLimits.Snapshot().Current);

        fault.Remove();
        var result = await filled.Task.WaitAsync(HangGuard);
        Assert.Equal(cloid, result.Cloid);
        Assert.Equal(1, Sim.Stats.Orders);
        var order = await OrderAsync(app, cloid);
        Assert.Equal("FILLED", (string?)order["status"]);
        Assert.True((int)order["attempts"]! >= 2);
    }

    [Fact]
    public async Task A_rate_limit_on_the_look_up_of_an_intent_an_earlier_attempt_left_SENDING_keeps_it_SENDING_and_the_order_is_never_sent_twice()
    {
        await using var app = await StartAsync();
        await PromoteAsync(app);
        var cloid = await PostAsync(app, MarketBuy, "sent-then-rate-limited");
        await Queue.ClearMessagesAsync(); // this test delivers by hand

        // An earlier attempt wrote SENDING, reached the venue and died before it recorded the answer.
        var store = app.App.Services.GetRequiredService<OrderStore>();
        var record = (await store.GetAsync(cloid, CancellationToken.None))!;
        var now = DateTimeOffset.UtcNow;
        record = await store.TransitionAsync(record, OrderStatus.Sending, "test send", null, "test", now, CancellationToken.None, record.Attempts.Next(now));
        var adapter = app.App.Services.GetRequiredService<HyperliquidExecutionAdapter>();
        Assert.Equal(OrderStatus.Filled, (await adapter.PlaceAsync(record.Intent, false, CancellationToken.None)).Status);
        Assert.Equal(1, Sim.Stats.Orders);

        // The next delivery cannot look the cloid up (every REST request answers 429): it must not take the row back to RECEIVED.
        var executor = app.App.Services.GetRequiredService<OrderExecutor>();
        using (new FaultScope(Sim.Faults.RateLimit(10_000)))
        {
            var summary = await executor.ExecuteAsync(record.Intent, CancellationToken.None);
            Assert.Contains("rate limited before sending", summary, StringComparison.Ordinal);
        }
        var waiting = (await store.GetAsync(cloid, CancellationToken.None))!;
        Assert.Equal(OrderStatus.Sending, waiting.Status);
        Assert.Equal(record.Changes, waiting.Changes); // counted, no state change
        Assert.Equal(record.Attempts.Count + 1, waiting.Attempts.Count);

        // The delivery after the limit asks the venue first and records its answer: still one order at the venue.
        await executor.ExecuteAsync(record.Intent, CancellationToken.None);
        var done = (await store.GetAsync(cloid, CancellationToken.None))!;
        Assert.Equal(OrderStatus.Filled, done.Status);
        Assert.Contains("(found by cloid)", done.Reason, StringComparison.Ordinal);
        Assert.Equal(1, Sim.Stats.Orders);
    }

    [Fact]
    public async Task A_429_on_the_exchange_endpoint_is_a_rate_limit_the_RATE_LIMITED_accounting_sees_and_the_executor_treats_as_not_placed()
    {
        await using var app = await StartAsync();
        var rateLimits = app.App.Services.GetRequiredService<RateLimitMonitor>();
        var before = rateLimits.Snapshot().TotalRateLimited;
        using var _ = new FaultScope(Sim.Faults.RateLimit(10_000));
        var exchange = app.App.Services.GetRequiredService<IHyperliquidExchangeClient>();
        var body = new JsonObject { ["action"] = new JsonObject { ["type"] = "order", ["orders"] = new JsonArray(), ["grouping"] = "na" }, ["nonce"] = 1 };
        await Assert.ThrowsAsync<HyperliquidRateLimitedException>(() => exchange.PostAsync(body, CancellationToken.None));
        Assert.True(rateLimits.Snapshot().TotalRateLimited > before);
        Assert.Equal(0, Sim.Stats.Orders);
    }

    [Fact]
    public async Task Dry_run_records_a_boot_event_that_GET_orders_shows_and_status_shows_queue_depth_and_open_UNKNOWN()
    {
        await using var app = await StartAsync(new() { ["Execution:Mode"] = "dry-run", ["Storage:ProbeIntervalSeconds"] = "1" });
        var (status, list) = await app.SendAsync(HttpMethod.Get, "/api/orders", TestApp.FunctionKey);
        Assert.Equal(200, status);
        var boot = Assert.Single(list!["bootEvents"]!.AsArray())!;
        Assert.Equal("dry-run", (string?)boot["mode"]);
        Assert.Contains("nothing is sent", (string?)boot["message"], StringComparison.Ordinal);

        var cloid = await PostAsync(app, MarketBuy, "status-depth");
        await LeaveUnknownAsync(app, cloid);
        var monitor = app.App.Services.GetRequiredService<ExecutionMonitor>();
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        monitor.StorageRead += v =>
        {
            if (v is { UnknownOpen: 1, QueueDepth: >= 1 }) seen.TrySetResult();
        };
        if (monitor.Storage is { UnknownOpen: 1, QueueDepth: >= 1 }) seen.TrySetResult();
        await seen.Task.WaitAsync(HangGuard);
        var (_, json) = await app.SendAsync(HttpMethod.Get, "/api/status", TestApp.FunctionKey);
        var execution = json!["execution"]!;
        Assert.Equal(1, (int)execution["unknownOpen"]!);
        Assert.True((long)execution["queueDepth"]! >= 1);
        Assert.Equal("halt", (string?)execution["retryBudgetMode"]);
        Assert.NotNull(execution["readAt"]);
    }

    [Fact]
    public async Task A_SENDING_row_is_left_to_its_sender_until_it_is_stale_then_resolved_by_cloid()
    {
        await using var app = await StartAsync(new() { ["Execution:Resolution:StaleSendingSeconds"] = "60" });
        await PromoteAsync(app);
        var fresh = await PostAsync(app, MarketBuy, "sending-fresh");
        var stale = await PostAsync(app, MarketBuy, "sending-stale");
        await Queue.ClearMessagesAsync();
        var store = app.App.Services.GetRequiredService<OrderStore>();
        var adapter = app.App.Services.GetRequiredService<HyperliquidExecutionAdapter>();
        var now = DateTimeOffset.UtcNow;
        // Both were sent; one process is still waiting for the answer (now), the other died ten minutes ago.
        foreach (var (cloid, at) in new[] { (fresh, now), (stale, now.AddMinutes(-10)) })
        {
            var record = (await store.GetAsync(cloid, CancellationToken.None))!;
            record = await store.TransitionAsync(record, OrderStatus.Sending, "test send", null, "test", at, CancellationToken.None, record.Attempts.Next(at));
            Assert.Equal(OrderStatus.Filled, (await adapter.PlaceAsync(record.Intent, false, CancellationToken.None)).Status);
        }

        var summary = await ResolveAsync(app);
        Assert.Contains("resolved 1", summary, StringComparison.Ordinal);
        Assert.Contains("waiting 1", summary, StringComparison.Ordinal);
        Assert.Equal(["RECEIVED", "SENDING", "FILLED"], Changes(await OrderAsync(app, stale)));
        Assert.Equal("SENDING", (string?)(await OrderAsync(app, fresh))["status"]);
        Assert.Equal(2, Sim.Stats.Orders);
    }

    [Fact]
    public async Task An_intent_older_than_MaxIntentAgeSeconds_is_never_sent_but_one_an_earlier_attempt_placed_is_recorded_from_the_venue()
    {
        await using var app = await StartAsync();
        await PromoteAsync(app);
        var store = app.App.Services.GetRequiredService<OrderStore>();
        var executor = app.App.Services.GetRequiredService<OrderExecutor>();
        var adapter = app.App.Services.GetRequiredService<HyperliquidExecutionAdapter>();
        var tenMinutesAgo = DateTimeOffset.UtcNow.AddMinutes(-10);
        static OrderIntent Intent(string key) =>
            OrderIntentRules.Validate(new OrderIntentDraft("BTC", "buy", 0.001m, "market", null, 0.05m, null, false, null), key).Intent!;

        // Submitted ten minutes ago and never sent (a backlog after an outage, say): refused for its age, nothing sent.
        var stale = Intent("expiry-stale");
        await store.RecordAsync(stale, "test", tenMinutesAgo, CancellationToken.None);
        var summary = await executor.ExecuteAsync(stale, CancellationToken.None);
        Assert.Matches(@"BLOCKED INTENT_EXPIRED: submitted \d+ s ago, more than Execution:MaxIntentAgeSeconds \(300\); not sent", summary);
        Assert.Equal(0, Sim.Stats.Orders);

        // As old, but an earlier attempt placed it and died before it recorded the answer: the venue's word is recorded.
        var placed = Intent("expiry-placed");
        var (record, _) = await store.RecordAsync(placed, "test", tenMinutesAgo, CancellationToken.None);
        await store.TransitionAsync(record, OrderStatus.Sending, "test send", null, "test", tenMinutesAgo, CancellationToken.None, record.Attempts.Next(tenMinutesAgo));
        Assert.Equal(OrderStatus.Filled, (await adapter.PlaceAsync(placed, false, CancellationToken.None)).Status);
        summary = await executor.ExecuteAsync(placed, CancellationToken.None);
        Assert.Contains("FILLED", summary, StringComparison.Ordinal);
        Assert.Equal(1, Sim.Stats.Orders);

        // A fresh intent is untouched by the rule.
        var fresh = await PostAsync(app, MarketBuy, "expiry-fresh");
        Assert.Contains("FILLED", Assert.Single(await DeliverAllAsync(app)), StringComparison.Ordinal);
        Assert.Equal("FILLED", (string?)(await OrderAsync(app, fresh))["status"]);
        Assert.Matches(@"(?m)^hf_execution_expired_total(\{[^}]*\})? 1(\s|$)", await app.MetricsAsync());
        var (_, status) = await app.SendAsync(HttpMethod.Get, "/api/status", TestApp.FunctionKey);
        Assert.Equal(300, (int)status!["execution"]!["maxIntentAgeSeconds"]!);
    }

    private sealed class FaultScope(FaultHandle handle) : IDisposable
    {
        public void Dispose() => handle.Remove();
    }
}
