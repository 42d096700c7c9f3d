using Azure.Storage.Queues;
using HyperFunctions.Functions.Execution;
using HyperFunctions.Simulator;
using HyperFunctions.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace HyperFunctions.Functions.Tests.Execution;

/// <summary>
/// What the execution tests share: a simulator of their own (seeded), the order-intents queue emptied before and
/// after each test (the collection runs them one at a time), and an app that trades the simulator's development
/// account with tables of its own.
/// </summary>
public abstract class ExecutionTestBase(AzuriteFixture azurite, int seed) : IAsyncLifetime
{
    protected static readonly string Dev = SimulatorAccount.Dev.Address.ToLowerInvariant();

    protected AzuriteFixture Azurite => azurite;
    protected HyperliquidSimulator Sim { get; private set; } = null!;
    protected QueueClient Queue { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Sim = await HyperliquidSimulator.StartAsync(SimulatorOptionsFor(seed));
        Queue = new QueueClient(azurite.ConnectionString, OrderIntentMessage.QueueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await Queue.CreateIfNotExistsAsync();
        await Queue.ClearMessagesAsync();
    }

    /// <summary>The simulator's options; a test class may give it a clock of its own (e.g. a FakeTimeProvider to fire scheduleCancel).</summary>
    protected virtual SimulatorOptions SimulatorOptionsFor(int seed) => new() { Seed = seed };

    public async Task DisposeAsync()
    {
        await Queue.ClearMessagesAsync();
        await Sim.DisposeAsync();
    }

    /// <summary>The app against the simulator with the development key, its own order and alert tables, and <paramref name="extra"/> on top.</summary>
    /// <param name="realPort">Serve on a loopback port (real sockets) instead of the in-memory test server.</param>
    private protected Task<TestApp> StartAsync(Dictionary<string, string?>? extra = null, bool realPort = false)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Hyperliquid:RestUrl"] = Sim.RestUrl.ToString(),
            ["Hyperliquid:WsUrl"] = Sim.WsUrl.ToString(),
            ["Hyperliquid:PrivateKey"] = SimulatorAccount.DevPrivateKey,
            ["Hyperliquid:AccountAddress"] = Dev,
            ["Execution:Table"] = AzuriteFixture.UniqueName("Orders"),
            ["Alerts:Table"] = AzuriteFixture.UniqueName("Alerts"),
        };
        foreach (var kv in extra ?? []) settings[kv.Key] = kv.Value;
        return TestApp.StartAsync(azurite.ConnectionString, settings, realPort: realPort);
    }

    /// <summary>The app with the Paper adapter and its in-process keeper on BTC, once the keeper holds a BTC book to fill against.</summary>
    private protected async Task<TestApp> StartPaperWithBookAsync()
    {
        var app = await StartAsync(new()
        {
            ["Execution:Adapter"] = "Paper",
            ["Hosting:RunKeeper"] = "true",
            ["Keeper:TablePrefix"] = AzuriteFixture.UniqueName("K"),
            ["Keeper:Coins:0"] = "BTC",
            ["Keeper:Accounts:0"] = Dev,
        });
        var keeper = app.App.Services.GetRequiredService<HyperFunctions.Streaming.StreamKeeper>();
        await keeper.WaitUntilAsync(s => s.Markets.Any(m => m.Coin == "BTC" && m.BestAsk is not null && m.BestBid is not null), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(60)); // a hang guard: the keeper signals the book
        return app;
    }
}
