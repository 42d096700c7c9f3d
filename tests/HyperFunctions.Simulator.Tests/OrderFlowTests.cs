using System.Globalization;
using System.Text.Json.Nodes;
using HyperFunctions.Hyperliquid.Signing;
using HyperFunctions.Simulator.Core;
using HyperFunctions.Simulator.Market;
using HyperFunctions.Simulator.Tests.Support;

namespace HyperFunctions.Simulator.Tests;

public sealed class OrderFlowTests
{
    private const int Btc = 0;
    private const int Eth = 1;
    private const string Cloid = "0x00000000000000000000000000000001";
    private const string Stranger = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

    [Fact]
    public void The_dev_key_belongs_to_the_dev_account() =>
        Assert.Equal(SimulatorAccount.Dev.Address, EthereumAddress.FromPrivateKey(SimulatorAccount.DevPrivateKey));

    [Fact]
    public async Task A_gtc_order_below_the_book_rests_and_is_listed()
    {
        await using var h = await SimHarness.StartAsync();
        var px = PriceRules.FloorPrice(h.Sim.Market.BestBid("BTC")!.Value * 0.99m, 5);

        var answer = await h.ExchangeAsync(Actions.Order(Btc, isBuy: true, px, 0.01m, cloid: Cloid));

        Assert.Equal("order", (string?)answer["response"]!["type"]);
        var oid = (long)Actions.Status(answer)["resting"]!["oid"]!;
        var open = Assert.Single((await h.InfoAsync($$"""{"type":"openOrders","user":"{{h.DevAddress}}"}"""))!.AsArray())!;
        Assert.Equal(oid, (long)open["oid"]!);
        Assert.Equal("BTC", (string?)open["coin"]);
        Assert.Equal("B", (string?)open["side"]);
        Assert.Equal(px, decimal.Parse((string)open["limitPx"]!, CultureInfo.InvariantCulture));
        Assert.Equal("0.01", (string?)open["sz"]);
        Assert.Equal(Cloid, (string?)open["cloid"]);
        var bids = (await h.InfoAsync("""{"type":"l2Book","coin":"BTC"}"""))!["levels"]![0]!.AsArray();
        Assert.Contains(bids, level => decimal.Parse((string)level!["px"]!, CultureInfo.InvariantCulture) == px);
    }

    [Fact]
    public async Task An_ioc_buy_through_the_ask_fills_updates_the_position_and_emits_user_events()
    {
        await using var h = await SimHarness.StartAsync();
        await using var ws = await h.ConnectAsync();
        await ws.SubscribeAsync($$"""{"type":"userFills","user":"{{h.DevAddress}}"}""", h.Timeout);
        Assert.True((bool)(await ws.ReceiveJsonAsync(h.Timeout))["data"]!["isSnapshot"]!);
        await ws.SubscribeAsync($$"""{"type":"orderUpdates","user":"{{h.DevAddress}}"}""", h.Timeout);
        await ws.SubscribeAsync($$"""{"type":"userEvents","user":"{{h.DevAddress}}"}""", h.Timeout);
        var ask = h.Sim.Market.BestAsk("ETH")!.Value;

        var answer = await h.ExchangeAsync(Actions.Order(Eth, isBuy: true, PriceRules.CeilingPrice(ask * 1.01m, 4), 0.5m, "Ioc"));

        var filled = Actions.Status(answer)["filled"]!;
        Assert.Equal("0.5", (string?)filled["totalSz"]);
        Assert.Equal(ask, decimal.Parse((string)filled["avgPx"]!, CultureInfo.InvariantCulture));
        var oid = (long)filled["oid"]!;

        var update = (await ws.WaitForChannelAsync("orderUpdates", h.Timeout))["data"]!.AsArray()[0]!;
        Assert.Equal("filled", (string?)update["status"]);
        Assert.Equal(oid, (long)update["order"]!["oid"]!);
        var fills = (await ws.WaitForChannelAsync("userFills", h.Timeout))["data"]!;
        Assert.Null(fills["isSnapshot"]);
        var fill = Assert.Single(fills["fills"]!.AsArray())!;
        Assert.Equal("ETH", (string?)fill["coin"]);
        Assert.Equal("B", (string?)fill["side"]);
        Assert.Equal("Open Long", (string?)fill["dir"]);
        Assert.Equal("0.0", (string?)fill["startPosition"]);
        Assert.True((bool)fill["crossed"]!);
        Assert.Equal(oid, (long)fill["oid"]!);
        Assert.Equal("USDC", (string?)fill["feeToken"]);
        var userEvent = (await ws.WaitForChannelAsync("user", h.Timeout))["data"]!;
        Assert.Equal((long)fill["tid"]!, (long)userEvent["fills"]![0]!["tid"]!);

        var position = Assert.Single((await h.InfoAsync($$"""{"type":"clearinghouseState","user":"{{h.DevAddress}}"}"""))!["assetPositions"]!.AsArray())!;
        Assert.Equal("oneWay", (string?)position["type"]);
        Assert.Equal("ETH", (string?)position["position"]!["coin"]);
        Assert.Equal("0.5", (string?)position["position"]!["szi"]);
        Assert.Equal(ask, decimal.Parse((string)position["position"]!["entryPx"]!, CultureInfo.InvariantCulture));
        Assert.Equal("cross", (string?)position["position"]!["leverage"]!["type"]);
        var restFill = Assert.Single((await h.InfoAsync($$"""{"type":"userFills","user":"{{h.DevAddress}}"}"""))!.AsArray())!;
        Assert.True(JsonNode.DeepEquals(fill, restFill));
        var byTime = (await h.InfoAsync($$"""{"type":"userFillsByTime","user":"{{h.DevAddress}}","startTime":{{SimHarness.Start.ToUnixTimeMilliseconds()}}}"""))!.AsArray();
        Assert.Single(byTime);
    }

    [Fact]
    public async Task Cancel_removes_a_resting_order_once()
    {
        await using var h = await SimHarness.StartAsync();
        await using var ws = await h.ConnectAsync();
        await ws.SubscribeAsync($$"""{"type":"orderUpdates","user":"{{h.DevAddress}}"}""", h.Timeout);
        var px = PriceRules.CeilingPrice(h.Sim.Market.BestAsk("BTC")!.Value * 1.01m, 5);
        var oid = (long)Actions.Status(await h.ExchangeAsync(Actions.Order(Btc, isBuy: false, px, 0.01m)))["resting"]!["oid"]!;
        Assert.Equal("open", (string?)(await ws.WaitForChannelAsync("orderUpdates", h.Timeout))["data"]![0]!["status"]);

        var answer = await h.ExchangeAsync(Actions.Cancel(Btc, oid));

        Assert.Equal("cancel", (string?)answer["response"]!["type"]);
        Assert.Equal("success", (string?)Actions.Status(answer));
        Assert.Equal("canceled", (string?)(await ws.WaitForChannelAsync("orderUpdates", h.Timeout))["data"]![0]!["status"]);
        var again = Actions.Status(await h.ExchangeAsync(Actions.Cancel(Btc, oid)));
        Assert.Equal("Order was never placed, already canceled, or filled. asset=0", (string?)again["error"]);
        var status = (await h.InfoAsync($$"""{"type":"orderStatus","user":"{{h.DevAddress}}","oid":{{oid}}}"""))!;
        Assert.Equal("order", (string?)status["status"]);
        Assert.Equal("canceled", (string?)status["order"]!["status"]);
        Assert.Equal(oid, (long)status["order"]!["order"]!["oid"]!);
    }

    [Fact]
    public async Task CancelByCloid_and_orderStatus_by_cloid()
    {
        await using var h = await SimHarness.StartAsync();
        var px = PriceRules.FloorPrice(h.Sim.Market.BestBid("ETH")!.Value * 0.98m, 4);
        await h.ExchangeAsync(Actions.Order(Eth, isBuy: true, px, 0.1m, cloid: Cloid));
        var open = (await h.InfoAsync($$"""{"type":"orderStatus","user":"{{h.DevAddress}}","oid":"{{Cloid}}"}"""))!;
        Assert.Equal("open", (string?)open["order"]!["status"]);
        Assert.Equal(Cloid, (string?)open["order"]!["order"]!["cloid"]);

        var answer = await h.ExchangeAsync(Actions.CancelByCloid(Eth, Cloid));

        Assert.Equal("success", (string?)Actions.Status(answer));
        Assert.Equal("canceled", (string?)(await h.InfoAsync($$"""{"type":"orderStatus","user":"{{h.DevAddress}}","oid":"{{Cloid}}"}"""))!["order"]!["status"]);
        Assert.Equal("Order was never placed, already canceled, or filled. asset=1", (string?)Actions.Status(await h.ExchangeAsync(Actions.CancelByCloid(Eth, Cloid)))["error"]);
    }

    [Fact]
    public async Task A_reused_cloid_is_rejected()
    {
        await using var h = await SimHarness.StartAsync();
        var px = PriceRules.FloorPrice(h.Sim.Market.BestBid("BTC")!.Value * 0.99m, 5);
        await h.ExchangeAsync(Actions.Order(Btc, isBuy: true, px, 0.01m, cloid: Cloid));

        var second = Actions.Status(await h.ExchangeAsync(Actions.Order(Btc, isBuy: true, px, 0.02m, cloid: Cloid)));

        Assert.Equal("Duplicate cloid. asset=0", (string?)second["error"]);
        Assert.Single((await h.InfoAsync($$"""{"type":"openOrders","user":"{{h.DevAddress}}"}"""))!.AsArray());
    }

    [Fact]
    public async Task Reduce_only_is_rejected_without_a_position_and_clipped_to_it_with_one()
    {
        await using var h = await SimHarness.StartAsync();
        var bid = h.Sim.Market.BestBid("ETH")!.Value;
        var low = PriceRules.FloorPrice(bid * 0.99m, 4);

        var rejected = Actions.Status(await h.ExchangeAsync(Actions.Order(Eth, isBuy: false, low, 0.2m, "Ioc", reduceOnly: true)));
        Assert.Equal("Reduce only order would increase position. asset=1", (string?)rejected["error"]);

        await h.ExchangeAsync(Actions.Order(Eth, isBuy: true, PriceRules.CeilingPrice(h.Sim.Market.BestAsk("ETH")!.Value * 1.01m, 4), 0.1m, "Ioc"));
        var close = Actions.Status(await h.ExchangeAsync(Actions.Order(Eth, isBuy: false, low, 0.2m, "Ioc", reduceOnly: true)));

        Assert.Equal("0.1", (string?)close["filled"]!["totalSz"]);
        Assert.Empty((await h.InfoAsync($$"""{"type":"clearinghouseState","user":"{{h.DevAddress}}"}"""))!["assetPositions"]!.AsArray());
        var fills = (await h.InfoAsync($$"""{"type":"userFills","user":"{{h.DevAddress}}"}"""))!.AsArray();
        Assert.Equal("Close Long", (string?)fills[0]!["dir"]);
        Assert.Equal("0.1", (string?)fills[0]!["startPosition"]);
    }

    [Fact]
    public async Task Alo_that_would_cross_and_ioc_that_cannot_match_are_rejected()
    {
        await using var h = await SimHarness.StartAsync();
        var bid = h.Sim.Market.BestBid("BTC")!.Value;
        var ask = h.Sim.Market.BestAsk("BTC")!.Value;

        var alo = Actions.Status(await h.ExchangeAsync(Actions.Order(Btc, isBuy: true, ask, 0.01m, "Alo")));
        var ioc = Actions.Status(await h.ExchangeAsync(Actions.Order(Btc, isBuy: true, PriceRules.FloorPrice(bid * 0.99m, 5), 0.01m, "Ioc")));
        var aloOk = Actions.Status(await h.ExchangeAsync(Actions.Order(Btc, isBuy: true, bid, 0.01m, "Alo")));

        var bbo = $"{Wire.Num(bid)}@{Wire.Num(ask)}";
        Assert.Equal($"Post only order would have immediately matched, bbo was {bbo}. asset=0", (string?)alo["error"]);
        Assert.Equal("Order could not immediately match against any resting orders. asset=0", (string?)ioc["error"]);
        Assert.NotNull(aloOk["resting"]);
    }

    [Fact]
    public async Task Price_size_and_minimum_value_rules_are_enforced()
    {
        await using var h = await SimHarness.StartAsync();
        var bid = h.Sim.Market.BestBid("ETH")!.Value;

        var tooPrecise = Actions.Status(await h.ExchangeAsync(Actions.Order(Eth, isBuy: true, bid - 0.01m, 0.1m)));
        var tooManyDecimals = Actions.Status(await h.ExchangeAsync(Actions.Order(Eth, isBuy: true, bid, 0.00001m)));
        var tooSmall = Actions.Status(await h.ExchangeAsync(Actions.Order(Eth, isBuy: true, bid, 0.001m)));
        var unknownAsset = Actions.Status(await h.ExchangeAsync(Actions.Order(7, isBuy: true, bid, 0.1m)));

        Assert.Equal("Price must be divisible by tick size. asset=1", (string?)tooPrecise["error"]);
        Assert.Equal("Order has invalid size. asset=1", (string?)tooManyDecimals["error"]);
        Assert.Equal("Order must have minimum value of $10. asset=1", (string?)tooSmall["error"]);
        Assert.Equal("Order has invalid asset. asset=7", (string?)unknownAsset["error"]);
    }

    [Fact]
    public async Task A_resting_order_fills_when_the_market_moves_through_it()
    {
        await using var h = await SimHarness.StartAsync();
        await using var ws = await h.ConnectAsync();
        await ws.SubscribeAsync($$"""{"type":"userFills","user":"{{h.DevAddress}}"}""", h.Timeout);
        await ws.ReceiveJsonAsync(h.Timeout);
        var px = PriceRules.FloorPrice(h.Sim.Market.BestBid("SOL")!.Value * 0.99m, 2);
        var oid = (long)Actions.Status(await h.ExchangeAsync(Actions.Order(2, isBuy: true, px, 1m)))["resting"]!["oid"]!;

        h.Sim.Market.SetPrice("SOL", px * 0.98m);

        var fill = (await ws.WaitForChannelAsync("userFills", h.Timeout))["data"]!["fills"]![0]!;
        Assert.Equal(oid, (long)fill["oid"]!);
        Assert.False((bool)fill["crossed"]!);
        Assert.Equal(px, decimal.Parse((string)fill["px"]!, CultureInfo.InvariantCulture));
        Assert.Equal("filled", (string?)(await h.InfoAsync($$"""{"type":"orderStatus","user":"{{h.DevAddress}}","oid":{{oid}}}"""))!["order"]!["status"]);
    }

    [Fact]
    public async Task ScheduleCancel_cancels_every_open_order_at_the_time()
    {
        await using var h = await SimHarness.StartAsync(tp => new SimulatorOptions { TimeProvider = tp, MarketTickInterval = TimeSpan.Zero });
        await using var ws = await h.ConnectAsync();
        await ws.SubscribeAsync($$"""{"type":"orderUpdates","user":"{{h.DevAddress}}"}""", h.Timeout);
        var px = PriceRules.FloorPrice(h.Sim.Market.BestBid("BTC")!.Value * 0.99m, 5);
        await h.ExchangeAsync(Actions.Order(Btc, isBuy: true, px, 0.01m));
        await ws.WaitForChannelAsync("orderUpdates", h.Timeout);
        var now = h.Time.GetUtcNow().ToUnixTimeMilliseconds();

        var tooEarly = await h.ExchangeAsync(Actions.ScheduleCancel(now + 1_000));
        var scheduled = await h.ExchangeAsync(Actions.ScheduleCancel(now + 10_000));

        Assert.Equal("err", (string?)tooEarly["status"]);
        Assert.Equal("default", (string?)scheduled["response"]!["type"]);
        // Observable in process and in the control API while armed.
        Assert.Equal(now + 10_000, h.Sim.Market.ScheduledCancelAt(h.DevAddress));
        Assert.Equal(1, h.Sim.Market.OpenOrderCount(h.DevAddress));
        var state = JsonNode.Parse(await h.Http.GetStringAsync("_sim/state", h.Timeout))!;
        Assert.Equal(now + 10_000, (long)state["scheduledCancels"]![h.DevAddress.ToLowerInvariant()]!);
        h.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal("scheduledCancel", (string?)(await ws.WaitForChannelAsync("orderUpdates", h.Timeout))["data"]![0]!["status"]);
        Assert.Empty((await h.InfoAsync($$"""{"type":"openOrders","user":"{{h.DevAddress}}"}"""))!.AsArray());
        Assert.Null(h.Sim.Market.ScheduledCancelAt(h.DevAddress));
        Assert.Equal(0, h.Sim.Market.OpenOrderCount(h.DevAddress));
        Assert.Empty(JsonNode.Parse(await h.Http.GetStringAsync("_sim/state", h.Timeout))!["scheduledCancels"]!.AsObject());
    }

    [Fact]
    public async Task An_unregistered_signer_is_answered_like_the_venue()
    {
        await using var h = await SimHarness.StartAsync();

        var answer = await h.ExchangeAsync(Actions.Order(Btc, isBuy: true, 60_000m, 0.01m), Stranger);

        Assert.Equal("err", (string?)answer["status"]);
        Assert.Equal($"User or API Wallet {EthereumAddress.FromPrivateKey(Stranger)} does not exist.", (string?)answer["response"]);
    }

    [Fact]
    public async Task A_tampered_body_recovers_another_signer_and_is_rejected()
    {
        await using var h = await SimHarness.StartAsync();
        var nonce = h.NextNonce();
        var body = SimHarness.SignedBody(Actions.Order(Btc, isBuy: true, 60_000m, 0.01m), nonce, SimulatorAccount.DevPrivateKey)
            .Replace("\"60000\"", "\"60001\"", StringComparison.Ordinal);

        using var response = await h.PostAsync("exchange", body);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync(h.Timeout))!;

        Assert.Equal("err", (string?)answer["status"]);
        Assert.Matches("^User or API Wallet 0x[0-9a-f]{40} does not exist\\.$", (string?)answer["response"]);
        Assert.DoesNotContain(h.DevAddress, (string?)answer["response"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reused_or_stale_nonce_is_rejected()
    {
        await using var h = await SimHarness.StartAsync();
        var nonce = h.NextNonce();
        var px = PriceRules.FloorPrice(h.Sim.Market.BestBid("BTC")!.Value * 0.99m, 5);
        await h.ExchangeAsync(Actions.Order(Btc, isBuy: true, px, 0.01m), nonce: nonce);

        var replay = await h.ExchangeAsync(Actions.Order(Btc, isBuy: true, px, 0.01m), nonce: nonce);
        var stale = await h.ExchangeAsync(Actions.Order(Btc, isBuy: true, px, 0.01m), nonce: nonce - (long)TimeSpan.FromDays(3).TotalMilliseconds);

        Assert.Equal($"Invalid nonce: duplicate nonce {nonce}", (string?)replay["response"]);
        Assert.StartsWith("Invalid nonce: nonce too low", (string?)stale["response"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_api_wallet_signs_for_its_account_and_a_vault_needs_authorisation()
    {
        const string AgentKey = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";
        var agent = EthereumAddress.FromPrivateKey(AgentKey);
        var vault = new SimulatorAccount("0x00000000000000000000000000000000000000aa") { Agents = [SimulatorAccount.Dev.Address] };
        await using var h = await SimHarness.StartAsync(tp => new SimulatorOptions
        {
            TimeProvider = tp,
            Accounts = [SimulatorAccount.Dev with { Agents = [agent] }, vault],
        });
        var ask = h.Sim.Market.BestAsk("BTC")!.Value;
        var buy = Actions.Order(Btc, isBuy: true, PriceRules.CeilingPrice(ask * 1.01m, 5), 0.001m, "Ioc");

        var byAgent = await h.ExchangeAsync(buy, AgentKey);
        var forVault = await h.ExchangeAsync(buy, vaultAddress: vault.Address);
        var agentForVault = await h.ExchangeAsync(buy, AgentKey, vaultAddress: vault.Address);

        Assert.NotNull(Actions.Status(byAgent)["filled"]);
        Assert.NotNull(Actions.Status(forVault)["filled"]);
        Assert.Equal("err", (string?)agentForVault["status"]);
        Assert.Single((await h.InfoAsync($$"""{"type":"clearinghouseState","user":"{{h.DevAddress}}"}"""))!["assetPositions"]!.AsArray());
        Assert.Single((await h.InfoAsync($$"""{"type":"clearinghouseState","user":"{{vault.Address}}"}"""))!["assetPositions"]!.AsArray());
    }

    [Fact]
    public async Task Funding_is_paid_hourly_and_announced_on_user_events()
    {
        await using var h = await SimHarness.StartAsync(tp => new SimulatorOptions { TimeProvider = tp, MarketTickInterval = TimeSpan.Zero, IdleTimeout = TimeSpan.FromHours(2) });
        await using var ws = await h.ConnectAsync();
        await ws.SubscribeAsync($$"""{"type":"userEvents","user":"{{h.DevAddress}}"}""", h.Timeout);
        await h.ExchangeAsync(Actions.Order(Eth, isBuy: true, PriceRules.CeilingPrice(h.Sim.Market.BestAsk("ETH")!.Value * 1.01m, 4), 1m, "Ioc"));
        await ws.WaitForChannelAsync("user", h.Timeout);

        h.Time.Advance(TimeSpan.FromHours(1));

        var funding = (await ws.WaitForChannelAsync("user", h.Timeout, m => m["data"]!["funding"] is not null))["data"]!["funding"]!;
        Assert.Equal("ETH", (string?)funding["coin"]);
        Assert.Equal("1.0", (string?)funding["szi"]);
        Assert.Equal(SimHarness.Start.AddHours(1).ToUnixTimeMilliseconds(), (long)funding["time"]!);
        Assert.IsType<string>((string?)funding["fundingRate"]);
    }

    [Fact]
    public async Task ExpiresAfter_is_part_of_the_signature_and_enforced()
    {
        await using var h = await SimHarness.StartAsync();
        var now = h.Time.GetUtcNow().ToUnixTimeMilliseconds();

        var fresh = await h.ExchangeAsync(Actions.ScheduleCancel(null), expiresAfter: now + 5_000);
        var expired = await h.ExchangeAsync(Actions.ScheduleCancel(null), expiresAfter: now - 1);

        Assert.Equal("ok", (string?)fresh["status"]);
        Assert.Equal("err", (string?)expired["status"]);
        Assert.StartsWith("Action expired", (string?)expired["response"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_testnet_simulator_accepts_testnet_signatures_only()
    {
        await using var h = await SimHarness.StartAsync(tp => new SimulatorOptions { TimeProvider = tp, IsMainnet = false });

        var testnet = await h.ExchangeAsync(Actions.ScheduleCancel(null), isMainnet: false);
        var mainnet = await h.ExchangeAsync(Actions.ScheduleCancel(null), isMainnet: true);

        Assert.Equal("ok", (string?)testnet["status"]);
        Assert.Equal("err", (string?)mainnet["status"]);
        Assert.EndsWith("does not exist.", (string?)mainnet["response"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auto_registration_accepts_any_signer_with_a_fresh_balance()
    {
        await using var h = await SimHarness.StartAsync(tp => new SimulatorOptions { TimeProvider = tp, AutoRegisterSigners = true, AutoRegisteredUsdc = 5_000m });

        var answer = await h.ExchangeAsync(Actions.ScheduleCancel(null), Stranger);

        Assert.Equal("ok", (string?)answer["status"]);
        var state = (await h.InfoAsync($$"""{"type":"clearinghouseState","user":"{{EthereumAddress.FromPrivateKey(Stranger)}}"}"""))!;
        Assert.Equal("5000.0", (string?)state["marginSummary"]!["accountValue"]);
    }

    [Fact]
    public async Task Malformed_exchange_bodies_get_422()
    {
        await using var h = await SimHarness.StartAsync();

        using var noSignature = await h.PostAsync("exchange", """{"action":{"type":"noop"},"nonce":1}""");
        using var unknownAction = await h.PostAsync("exchange", """{"action":{"type":"teleport"},"nonce":1,"signature":{"r":"0x1","s":"0x1","v":27}}""");

        Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, noSignature.StatusCode);
        Assert.Contains("missing field `signature`", await noSignature.Content.ReadAsStringAsync(h.Timeout), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, unknownAction.StatusCode);
    }
}
