using System.Text.Json.Nodes;
using HyperFunctions.Configuration;
using HyperFunctions.Hyperliquid.Signing;
using HyperFunctions.Simulator;
using HyperFunctions.Storage;
using HyperFunctions.Storage.Ledger;
using HyperFunctions.Storage.Streaming;
using HyperFunctions.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HyperFunctions.Streaming.Tests.Support;

/// <summary>
/// The real parts of an end-to-end keeper test: one in-process simulator over real sockets on a shared
/// FakeTimeProvider, a private Azurite, and keepers built as the hosts build them (AddStreamKeeper), with
/// the writer loop off so the test runs each tick itself. Names are unique per scenario.
/// </summary>
internal sealed class KeeperScenario : IAsyncDisposable
{
    public static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);
    private readonly List<ServiceProvider> _providers = [];
    private long _nonce;

    private KeeperScenario(AzuriteFixture azurite, DrivenTime time, HyperliquidSimulator sim)
    {
        Azurite = azurite;
        Time = time;
        Sim = sim;
    }

    public AzuriteFixture Azurite { get; }
    public DrivenTime Time { get; }
    public HyperliquidSimulator Sim { get; }
    public string Prefix { get; } = AzuriteFixture.UniqueName("K");
    public string LedgerTable { get; } = AzuriteFixture.UniqueName("Ledger");
    public string LeaseContainer { get; } = "leases-" + Guid.NewGuid().ToString("N")[..8];
    public static string Dev => SimulatorAccount.Dev.Address.ToLowerInvariant();

    /// <param name="marketTicks">
    /// False stops the simulator's 1 s market step: nothing then carries the clock while a test drives it to the
    /// socket's own timers, and the test publishes with <c>Sim.Market.Tick()</c>. Needed wherever a drive runs while
    /// the socket is open: a free-running ticker moves the clock faster than frames cross the real socket, so the
    /// socket's 30 s silence watchdog can fire on a busy machine although every frame was sent.
    /// </param>
    public static async Task<KeeperScenario> StartAsync(AzuriteFixture azurite, bool marketTicks = true)
    {
        var time = new DrivenTime(new DateTimeOffset(2025, 6, 2, 12, 0, 0, TimeSpan.Zero));
        var sim = await HyperliquidSimulator.StartAsync(new SimulatorOptions
        {
            TimeProvider = time,
            Seed = 7,
            MarketTickInterval = marketTicks ? new SimulatorOptions().MarketTickInterval : TimeSpan.Zero,
        });
        return new KeeperScenario(azurite, time, sim);
    }

    public Dictionary<string, string?> Settings(IDictionary<string, string?>? extra = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = Azurite.ConnectionString,
            ["Storage:LedgerTable"] = LedgerTable,
            ["Storage:LeaseContainer"] = LeaseContainer,
            ["Hyperliquid:Network"] = "Simulator",
            ["Hyperliquid:RestUrl"] = Sim.RestUrl.ToString(),
            ["Hyperliquid:WsUrl"] = Sim.WsUrl.ToString(),
            ["Keeper:Coins:0"] = "BTC",
            ["Keeper:Coins:1"] = "ETH",
            ["Keeper:Accounts:0"] = Dev,
            ["Keeper:TablePrefix"] = Prefix,
            ["Keeper:LeaseSeconds"] = "15",
        };
        foreach (var kv in extra ?? new Dictionary<string, string?>()) values[kv.Key] = kv.Value;
        return values;
    }

    /// <param name="configure">Adds to the keeper's services last (a log collector, say).</param>
    public async Task<(StreamKeeper Keeper, IServiceProvider Services)> StartKeeperAsync(IDictionary<string, string?>? extra = null, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings(extra)).Build();
        var loaded = await ConfigurationLoader.LoadAsync(configuration, null, requireApiKeys: false);
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton(loaded);
        services.AddSingleton(new StorageClients(loaded));
        services.AddSingleton(sp => new LedgerTableStore(sp.GetRequiredService<StorageClients>().LedgerTable, loaded.Settings.Deployment.InstanceId));
        services.AddSingleton<SafetyLedger>();
        services.AddStreamKeeper(configuration, loaded, runLoop: false);
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        await provider.GetRequiredService<SafetyLedger>().BootAsync(CancellationToken.None);
        var keeper = provider.GetRequiredService<StreamKeeper>();
        await keeper.StartAsync(CancellationToken.None);
        return (keeper, provider);
    }

    public StreamFactsStore Store(string instance = "default") =>
        new(new Azure.Data.Tables.TableServiceClient(Azurite.ConnectionString), Prefix, instance);

    public SafetyLedger Ledger(IServiceProvider services) => services.GetRequiredService<SafetyLedger>();

    /// <summary>Moves the clock to each pending timer (never more than <paramref name="horizon"/> at once) until the keeper condition holds.</summary>
    public async Task DriveAsync(StreamKeeper keeper, Func<KeeperSnapshot, bool> condition, TimeSpan horizon, string what)
    {
        try
        {
            await Time.DriveAsync(keeper.WaitUntilAsync(condition, CancellationToken.None), horizon, HangGuard);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Timed out driving the clock to {what}; keeper: {keeper.Snapshot()}");
        }
    }

    /// <summary>Waits for a keeper condition (signals, never sleeps) with a hang guard.</summary>
    public static async Task WaitAsync(StreamKeeper keeper, Func<KeeperSnapshot, bool> condition, string what)
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

    /// <summary>An IOC order of the dev account that crosses the book: one taker fill (or more) for the dev account.</summary>
    public async Task<JsonObject> TradeAsync(string coin, bool buy)
    {
        var asset = Sim.Market.AssetId(coin);
        var touch = (buy ? Sim.Market.BestAsk(coin) : Sim.Market.BestBid(coin)) ?? throw new InvalidOperationException("empty book");
        var px = decimal.Round(buy ? touch * 1.01m : touch * 0.99m, 0);
        var sz = coin == "BTC" ? 0.001m : 0.01m;
        var order = new JsonObject
        {
            ["a"] = asset,
            ["b"] = buy,
            ["p"] = WireFormat.FloatToWire(px),
            ["s"] = WireFormat.FloatToWire(sz),
            ["r"] = false,
            ["t"] = new JsonObject { ["limit"] = new JsonObject { ["tif"] = "Ioc" } },
        };
        var action = new JsonObject { ["type"] = "order", ["orders"] = new JsonArray(order), ["grouping"] = "na" };
        var nonce = Time.GetUtcNow().ToUnixTimeMilliseconds() + Interlocked.Increment(ref _nonce);
        var signature = HyperliquidSigner.SignL1Action(SimulatorAccount.DevPrivateKey, action, nonce, null, true, null);
        var body = new JsonObject
        {
            ["action"] = action.DeepClone(),
            ["nonce"] = nonce,
            ["signature"] = new JsonObject { ["r"] = signature.R, ["s"] = signature.S, ["v"] = signature.V },
        };
        using var http = new HttpClient { BaseAddress = Sim.RestUrl };
        using var content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("exchange", content);
        var text = await response.Content.ReadAsStringAsync();
        var json = JsonNode.Parse(text)!.AsObject();
        Assert.True((string?)json["status"] == "ok" && text.Contains("filled", StringComparison.Ordinal), $"order not filled: {text}");
        return json;
    }

    /// <summary>Every fill of the dev account as the venue reports it (REST userFills).</summary>
    public async Task<IReadOnlyList<(string Hash, long Tid, long Time)>> VenueFillsAsync()
    {
        using var http = new HttpClient { BaseAddress = Sim.RestUrl };
        using var content = new StringContent($"{{\"type\":\"userFills\",\"user\":\"{Dev}\"}}", System.Text.Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("info", content);
        var fills = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
        return [.. fills.Select(f => ((string)f!["hash"]!, (long)f["tid"]!, (long)f["time"]!))];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var p in _providers)
        {
            try { await p.GetRequiredService<StreamKeeper>().StopAsync(CancellationToken.None); }
            catch (ObjectDisposedException) { /* already stopped */ }
            await p.DisposeAsync();
        }
        await Sim.DisposeAsync();
    }
}
