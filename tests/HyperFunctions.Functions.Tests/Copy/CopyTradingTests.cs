using System.Globalization;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using HyperFunctions.Configuration;
using HyperFunctions.Domain.Copy;
using HyperFunctions.Domain.Execution;
using HyperFunctions.Functions.Copy;
using HyperFunctions.Functions.Execution;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Simulator;
using HyperFunctions.Storage.Copy;
using HyperFunctions.Storage.Execution;
using HyperFunctions.Streaming;
using HyperFunctions.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace HyperFunctions.Functions.Tests.Copy;

/// <summary>
/// Copy trading end to end: the simulator's copy-target bot trades (real fills of another account), the in-process
/// keeper stores them in Azurite, CopyTargetFills' batch turns them into intents of the development account, and
/// ExecuteOrderIntent places them at the simulator, where they are counted by cloid. The tests wait on the keeper's
/// and the simulator's signals, never on time; batches and deliveries are run by hand.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CopyTradingTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);
    private static readonly string Dev = SimulatorAccount.Dev.Address.ToLowerInvariant();
    private const string Bot = CopyTargetBotOptions.DefaultAddress;
    private HyperliquidSimulator _sim = null!;
    private QueueClient _queue = null!;

    public async Task InitializeAsync()
    {
        _sim = await HyperliquidSimulator.StartAsync(new SimulatorOptions { Seed = 11, CopyTargetBot = new CopyTargetBotOptions(Bot) { Interval = TimeSpan.Zero } });
        _queue = new QueueClient(azurite.ConnectionString, OrderIntentMessage.QueueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await _queue.CreateIfNotExistsAsync();
        await _queue.ClearMessagesAsync();
    }

    public async Task DisposeAsync()
    {
        await _queue.ClearMessagesAsync();
        await _sim.DisposeAsync();
    }

    private Dictionary<string, string?> Settings(Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Hosting:RunKeeper"] = "true",
            ["Hyperliquid:RestUrl"] = _sim.RestUrl.ToString(),
            ["Hyperliquid:WsUrl"] = _sim.WsUrl.ToString(),
            ["Hyperliquid:PrivateKey"] = SimulatorAccount.DevPrivateKey,
            ["Hyperliquid:AccountAddress"] = Dev,
            ["Keeper:TablePrefix"] = AzuriteFixture.UniqueName("K"),
            ["Keeper:Accounts:0"] = Dev,
            ["Keeper:Accounts:1"] = Bot,
            ["Execution:Table"] = AzuriteFixture.UniqueName("Orders"),
            ["CopyTrading:Enabled"] = "true",
            ["CopyTrading:TargetAccount"] = Bot,
            ["CopyTrading:Ratio"] = "0.5",
            ["CopyTrading:Slippage"] = "0.05",
            ["CopyTrading:Coins:BTC:MaxOrderSize"] = "0.01",
        };
        foreach (var kv in extra ?? []) settings[kv.Key] = kv.Value;
        return settings;
    }

    private async Task<TestApp> StartAsync(Dictionary<string, string?> settings)
    {
        var app = await TestApp.StartAsync(azurite.ConnectionString, settings);
        var keeper = app.App.Services.GetRequiredService<StreamKeeper>();
        await WaitAsync(keeper, s => s.Connected && s.Accounts.Count(a => a.Backfill == "done") == 2, "the keeper following both accounts");
        return app;
    }

    private static CopyTrader Copier(TestApp app) => app.App.Services.GetRequiredService<CopyTrader>();

    private static async Task PromoteAsync(TestApp app) =>
        Assert.Equal(200, (await app.SendAsync(HttpMethod.Post, "/api/safety/promote", TestApp.AdminKey, """{"reason":"copy test"}""")).Status);

    /// <summary>Runs ExecuteOrderIntent on every queued message, as the self-host listener would.</summary>
    private async Task<int> DeliverAllAsync(TestApp app)
    {
        var function = app.App.Services.GetRequiredService<FunctionCatalog>().Get<IQueueFunction>("ExecuteOrderIntent");
        var n = 0;
        while ((await _queue.ReceiveMessagesAsync(32)).Value is { Length: > 0 } messages)
        {
            foreach (var m in messages)
            {
                await function.RunAsync(new QueueInvocation(m.MessageId, m.Body.ToString(), m.DequeueCount, m.InsertedOn), CancellationToken.None);
                await _queue.DeleteMessageAsync(m.MessageId, m.PopReceipt);
                n++;
            }
        }
        return n;
    }

    /// <summary>The bot trades once; returns its fill key (hash-tid) as the keeper will store it.</summary>
    private async Task<string> BotTradesAsync()
    {
        var before = await BotFillsAsync();
        var trade = _sim.CopyTarget!.Trade();
        Assert.True(trade.Filled, trade.Status);
        var newest = (await BotFillsAsync()).Except(before).Single();
        return newest;
    }

    private async Task<List<string>> BotFillsAsync()
    {
        var fills = await InfoAsync($$"""{"type":"userFills","user":"{{Bot}}"}""");
        return fills.AsArray().OfType<JsonObject>().OrderBy(f => ((long)f["time"]!, (long)f["tid"]!))
            .Select(f => $"{(string)f["hash"]!}-{((long)f["tid"]!).ToString(CultureInfo.InvariantCulture)}").ToList();
    }

    private async Task<JsonNode> InfoAsync(string body)
    {
        using var http = new HttpClient { BaseAddress = _sim.RestUrl };
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri("info", UriKind.Relative), content);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>What the simulator knows about the dev account's order with this cloid: its status, or null when unknown.</summary>
    private async Task<string?> VenueStatusAsync(string cloid)
    {
        var answer = await InfoAsync($$"""{"type":"orderStatus","user":"{{Dev}}","oid":"{{cloid}}"}""");
        return (string?)answer["status"] == "order" ? (string?)answer["order"]!["status"] : null;
    }

    private static Task WaitForStoredAsync(TestApp app, string fillKey) =>
        WaitAsync(app.App.Services.GetRequiredService<StreamKeeper>(), s => s.Accounts.Any(a => a.Account == Bot && a.CursorKey == fillKey), $"the keeper storing the target's fill {fillKey}");

    private static async Task WaitAsync(StreamKeeper keeper, Func<KeeperSnapshot, bool> condition, string what)
    {
        try
        {
            await keeper.WaitUntilAsync(condition, CancellationToken.None).WaitAsync(HangGuard);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Timed out waiting for {what}; keeper: {keeper.Snapshot()}");
        }
    }

    private static string CloidOf(string fillKey) => ClientOrderId.FromSourceKey(CopyRules.SourceKey(fillKey));

    [Fact]
    public async Task Target_fills_become_scaled_orders_of_the_own_account_exactly_once_across_a_keeper_restart_and_a_cursor_left_behind()
    {
        var settings = Settings();
        var keys = new List<string>();
        await using (var app = await StartAsync(settings))
        {
            Assert.StartsWith("started at", await Copier(app).RunBatchAsync(CancellationToken.None), StringComparison.Ordinal);
            await PromoteAsync(app);
            for (var i = 0; i < 3; i++) keys.Add(await BotTradesAsync()); // buy, sell, buy 0.002 BTC
            await WaitForStoredAsync(app, keys[^1]);

            var batch = await Copier(app).RunBatchAsync(CancellationToken.None);
            Assert.StartsWith("3 fills: 3 copied, 0 already recorded", batch, StringComparison.Ordinal);
            Assert.Equal(3, await DeliverAllAsync(app));
            Assert.Equal(3, _sim.Stats.Orders);
            var store = app.App.Services.GetRequiredService<OrderStore>();
            for (var i = 0; i < 3; i++)
            {
                var record = (await store.GetAsync(CloidOf(keys[i]), CancellationToken.None))!;
                Assert.Equal((i % 2 == 0 ? OrderSide.Buy : OrderSide.Sell, 0.001m, OrderStatus.Filled, "copy:" + keys[i]), (record.Intent.Side, record.Intent.Size, record.Status, record.Intent.SourceKey));
                Assert.Equal("filled", await VenueStatusAsync(record.Intent.Cloid));
            }

            Assert.Equal("no new fills", await Copier(app).RunBatchAsync(CancellationToken.None));
            var (_, status) = await app.SendAsync(HttpMethod.Get, "/api/status", TestApp.FunctionKey);
            var copy = status!["copyTrading"]!;
            Assert.Equal((true, Bot, 0.5m, 3L, 3L), ((bool)copy["enabled"]!, (string?)copy["target"], (decimal)copy["ratio"]!, (long)copy["fillsSeen"]!, (long)copy["intentsCreated"]!));
            Assert.Equal(keys[^1], (string?)copy["cursor"]!["key"]);
            Assert.Equal(CloidOf(keys[^1]), (string?)copy["lastCopied"]!["cloid"]);
            using var scrape = app.Request(HttpMethod.Get, "/metrics", TestApp.FunctionKey);
            using var metrics = await app.Client.SendAsync(scrape);
            Assert.Contains((await metrics.Content.ReadAsStringAsync()).Split('\n'), l => l.StartsWith("hf_copy_fills_total{", StringComparison.Ordinal) && l.Contains("outcome=\"copied\"", StringComparison.Ordinal) && l.EndsWith(" 3", StringComparison.Ordinal));
        }

        // The target trades while nothing runs; the restarted keeper backfills (re-writing the fills at its cursor).
        keys.Add(await BotTradesAsync());
        await using (var app = await StartAsync(settings))
        {
            await PromoteAsync(app);
            await WaitForStoredAsync(app, keys[^1]);
            Assert.StartsWith("1 fills: 1 copied, 0 already recorded", await Copier(app).RunBatchAsync(CancellationToken.None), StringComparison.Ordinal);
            Assert.Equal(1, await DeliverAllAsync(app));
            Assert.Equal(4, _sim.Stats.Orders);
            Assert.Equal("filled", await VenueStatusAsync(CloidOf(keys[^1])));
            Assert.Equal("no new fills", await Copier(app).RunBatchAsync(CancellationToken.None));

            // A crash after recording but before the cursor moved: the cursor is back where the copying started.
            var cursors = app.App.Services.GetRequiredService<CopyCursorStore>();
            var current = (await cursors.ReadAsync(Bot, CancellationToken.None))!;
            var firstFill = (await app.App.Services.GetRequiredService<Storage.Streaming.StreamFactsStore>().ReadFillsAsync(Bot, CancellationToken.None)).Single(f => f.Key == keys[0]);
            await cursors.WriteAsync(Bot, current, new CopyPosition(firstFill.Time, firstFill.Tid - 1, ""), DateTimeOffset.UtcNow, CancellationToken.None);
            Assert.StartsWith("4 fills: 0 copied, 4 already recorded", await Copier(app).RunBatchAsync(CancellationToken.None), StringComparison.Ordinal);
            Assert.Equal(0, await DeliverAllAsync(app)); // all final: nothing queued again
            Assert.Equal(4, _sim.Stats.Orders);
        }
    }

    [Fact]
    public async Task Caps_cut_an_order_to_MaxOrderSize_and_skip_one_the_position_cap_leaves_no_room_for()
    {
        await using var app = await StartAsync(Settings(new()
        {
            ["CopyTrading:Ratio"] = "1",
            ["CopyTrading:Coins:BTC:MaxOrderSize"] = "0.001",
            ["CopyTrading:Coins:BTC:MaxPosition"] = "0.0015",
        }));
        Assert.StartsWith("started at", await Copier(app).RunBatchAsync(CancellationToken.None), StringComparison.Ordinal);
        await PromoteAsync(app);
        // The own account already holds the cap: 0.0015 BTC long.
        var request = app.Request(HttpMethod.Post, "/api/orders", TestApp.AdminKey, """{"coin":"BTC","side":"buy","size":"0.0015","type":"market","slippage":0.05}""");
        using (var response = await app.Client.SendAsync(request)) Assert.Equal(202, (int)response.StatusCode);
        Assert.Equal(1, await DeliverAllAsync(app));

        var buy = await BotTradesAsync();  // 0.002 buy: no room above +0.0015
        var sell = await BotTradesAsync(); // 0.002 sell: cut to 0.001
        await WaitForStoredAsync(app, sell);
        Assert.StartsWith("2 fills: 1 copied, 0 already recorded, skipped: position_cap 1", await Copier(app).RunBatchAsync(CancellationToken.None), StringComparison.Ordinal);
        Assert.Equal(1, await DeliverAllAsync(app));
        Assert.Equal(2, _sim.Stats.Orders);
        var store = app.App.Services.GetRequiredService<OrderStore>();
        Assert.Null(await store.GetAsync(CloidOf(buy), CancellationToken.None));
        var copied = (await store.GetAsync(CloidOf(sell), CancellationToken.None))!;
        Assert.Equal((OrderSide.Sell, 0.001m, OrderStatus.Filled), (copied.Intent.Side, copied.Intent.Size, copied.Status));
        Assert.Null(await VenueStatusAsync(CloidOf(buy)));

        var copy = (await app.SendAsync(HttpMethod.Get, "/api/status", TestApp.FunctionKey)).Json!["copyTrading"]!;
        Assert.Equal(1L, (long)copy["skipped"]!["position_cap"]!);
        Assert.Equal("maxOrderSize", (string?)copy["lastCopied"]!["cappedBy"]);
    }

    /// <summary>The own account's signed position in BTC at the simulator.</summary>
    private async Task<decimal> OwnBtcAsync()
    {
        var state = await InfoAsync($$"""{"type":"clearinghouseState","user":"{{Dev}}"}""");
        return state["assetPositions"]!.AsArray().Select(p => p!["position"]!).Where(p => (string?)p["coin"] == "BTC")
            .Sum(p => decimal.Parse((string)p["szi"]!, CultureInfo.InvariantCulture));
    }

    /// <param name="legacyIndexRow">The queued intent's open-index row as a process before this change wrote it (no source key,
    /// coin or size on it): the copier reads the intent row instead.</param>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task MaxPosition_counts_mirrored_orders_still_in_the_queue_when_a_second_batch_comes_before_the_first_is_executed(bool legacyIndexRow)
    {
        var settings = Settings(new()
        {
            ["CopyTrading:Ratio"] = "1",
            ["CopyTrading:Coins:BTC:MaxPosition"] = "0.001",
        });
        await using var app = await StartAsync(settings);
        Assert.StartsWith("started at", await Copier(app).RunBatchAsync(CancellationToken.None), StringComparison.Ordinal);
        await PromoteAsync(app);
        // The own account is 0.001 BTC short: a mirrored 0.002 buy ends exactly at the cap, +0.001.
        var request = app.Request(HttpMethod.Post, "/api/orders", TestApp.AdminKey, """{"coin":"BTC","side":"sell","size":"0.001","type":"market","slippage":0.05}""");
        using (var response = await app.Client.SendAsync(request)) Assert.Equal(202, (int)response.StatusCode);
        Assert.Equal(1, await DeliverAllAsync(app));
        Assert.Equal(-0.001m, await OwnBtcAsync());

        var firstBuy = await BotTradesAsync(); // 0.002 buy
        await WaitForStoredAsync(app, firstBuy);
        Assert.StartsWith("1 fills: 1 copied, 0 already recorded, skipped: none", await Copier(app).RunBatchAsync(CancellationToken.None), StringComparison.Ordinal);
        if (legacyIndexRow)
        {
            var instance = app.App.Services.GetRequiredService<LoadedConfiguration>().Settings.Deployment.InstanceId;
            var table = new Azure.Data.Tables.TableClient(azurite.ConnectionString, settings["Execution:Table"]);
            await table.UpsertEntityAsync(new Azure.Data.Tables.TableEntity(instance, "o|" + CloidOf(firstBuy))
            {
                ["Status"] = "RECEIVED", ["Since"] = DateTimeOffset.UtcNow, ["BudgetExceeded"] = false,
            }, Azure.Data.Tables.TableUpdateMode.Replace);
            Assert.Null(Assert.Single(await app.App.Services.GetRequiredService<OrderStore>().ListOpenAsync(CancellationToken.None)).Coin);
        }

        // Nothing executed yet: the venue still says -0.001, and the 0.002 buy waits in the queue.
        var sell = await BotTradesAsync();      // 0.002 sell: its room is to -0.001 from the lowest end, -0.001: none
        var secondBuy = await BotTradesAsync(); // 0.002 buy: the queued buy already takes the position to the cap
        await WaitForStoredAsync(app, secondBuy);
        Assert.StartsWith("2 fills: 0 copied, 0 already recorded, skipped: position_cap 2", await Copier(app).RunBatchAsync(CancellationToken.None), StringComparison.Ordinal);
        var store = app.App.Services.GetRequiredService<OrderStore>();
        Assert.Null(await store.GetAsync(CloidOf(sell), CancellationToken.None));
        Assert.Null(await store.GetAsync(CloidOf(secondBuy), CancellationToken.None));
        var exposure = (await app.SendAsync(HttpMethod.Get, "/api/status", TestApp.FunctionKey)).Json!["copyTrading"]!["exposure"]!["BTC"]!;
        Assert.Equal((-0.001m, -0.001m, 0.001m, 1), ((decimal)exposure["venue"]!, (decimal)exposure["lowest"]!, (decimal)exposure["highest"]!, (int)exposure["openOrders"]!));

        Assert.Equal(1, await DeliverAllAsync(app));
        Assert.Equal(OrderStatus.Filled, (await store.GetAsync(CloidOf(firstBuy), CancellationToken.None))!.Status);
        Assert.Equal(0.001m, await OwnBtcAsync()); // at the cap, not past it (judged against the venue alone the second buy made it +0.003)

        // Executed, the buy is in the venue position and no longer on its way: a sell has its room again (to -0.001).
        var lastSell = await BotTradesAsync();
        await WaitForStoredAsync(app, lastSell);
        Assert.StartsWith("1 fills: 1 copied", await Copier(app).RunBatchAsync(CancellationToken.None), StringComparison.Ordinal);
        Assert.Equal(1, await DeliverAllAsync(app));
        Assert.Equal(-0.001m, await OwnBtcAsync());
    }

    [Fact]
    public async Task In_backfill_only_mode_the_cursor_advances_and_nothing_is_created_or_placed()
    {
        await using var app = await StartAsync(Settings(new() { ["Execution:Mode"] = "backfill-only" }));
        Assert.StartsWith("started at", await Copier(app).RunBatchAsync(CancellationToken.None), StringComparison.Ordinal);
        await PromoteAsync(app);
        var first = await BotTradesAsync();
        var last = await BotTradesAsync();
        await WaitForStoredAsync(app, last);

        Assert.StartsWith("2 fills: 0 copied, 0 already recorded, skipped: backfill_only 2", await Copier(app).RunBatchAsync(CancellationToken.None), StringComparison.Ordinal);
        Assert.Equal(last, (await app.App.Services.GetRequiredService<CopyCursorStore>().ReadAsync(Bot, CancellationToken.None))!.Position.Key);
        Assert.Empty(await app.App.Services.GetRequiredService<OrderStore>().ListAsync(null, 50, CancellationToken.None));
        Assert.Equal(0, await DeliverAllAsync(app));
        Assert.Equal(0, _sim.Stats.Orders);
        Assert.Null(await VenueStatusAsync(CloidOf(first)));
        Assert.Equal("no new fills", await Copier(app).RunBatchAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Disabled_nothing_runs_and_a_bad_target_is_a_start_up_error_naming_the_setting()
    {
        var off = Settings(new() { ["CopyTrading:Enabled"] = "false", ["Hosting:RunKeeper"] = "false" });
        await using (var app = await TestApp.StartAsync(azurite.ConnectionString, off))
        {
            var timer = app.App.Services.GetRequiredService<FunctionCatalog>().Get<ITimerFunction>("CopyTargetFills");
            Assert.Equal("disabled", await timer.RunAsync(new TimerInvocation(DateTimeOffset.UtcNow, false), CancellationToken.None));
            Assert.Null(await app.App.Services.GetRequiredService<CopyCursorStore>().ReadAsync(Bot, CancellationToken.None));
            Assert.False((bool)(await app.SendAsync(HttpMethod.Get, "/api/status", TestApp.FunctionKey)).Json!["copyTrading"]!["enabled"]!);
        }

        var notFollowed = Settings(new() { ["Keeper:Accounts:1"] = null, ["Hosting:RunKeeper"] = "false" });
        notFollowed.Remove("Keeper:Accounts:1");
        var e1 = await Assert.ThrowsAsync<ConfigurationValidationException>(() => TestApp.BuildAsync(azurite.ConnectionString, notFollowed));
        Assert.Contains("CopyTrading:TargetAccount", e1.Message, StringComparison.Ordinal);
        Assert.Contains("Keeper:Accounts", e1.Message, StringComparison.Ordinal);

        var own = Settings(new() { ["CopyTrading:TargetAccount"] = Dev, ["Hosting:RunKeeper"] = "false" });
        var e2 = await Assert.ThrowsAsync<ConfigurationValidationException>(() => TestApp.BuildAsync(azurite.ConnectionString, own));
        Assert.Contains("is the own account", e2.Message, StringComparison.Ordinal);

        var noRatio = Settings(new() { ["CopyTrading:Ratio"] = "0", ["Hosting:RunKeeper"] = "false" });
        var e3 = await Assert.ThrowsAsync<ConfigurationValidationException>(() => TestApp.BuildAsync(azurite.ConnectionString, noRatio));
        Assert.Contains("CopyTrading.Ratio", e3.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Under_the_Functions_host_the_timer_runs_from_a_host_shaped_payload_and_waits_for_the_keepers_cursor()
    {
        var settings = Settings(new() { ["Hosting:RunKeeper"] = "false", ["FUNCTIONS_CUSTOMHANDLER_PORT"] = "7071", ["Api:AdminKey"] = null, ["Api:FunctionKey"] = null });
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings);
        var (status, json) = await app.SendAsync(HttpMethod.Post, "/CopyTargetFills", null, HostShapedPayloads.Timer("timer", isPastDue: false, scheduleStatus: null));
        Assert.Equal(200, status);
        Assert.Equal("waiting: the keeper has no cursor for the target yet", (string?)json!["ReturnValue"]);
        Assert.Null(await app.App.Services.GetRequiredService<CopyCursorStore>().ReadAsync(Bot, CancellationToken.None));
    }
}
