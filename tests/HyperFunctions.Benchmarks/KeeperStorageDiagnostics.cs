using System.Diagnostics;
using System.Globalization;
using HyperFunctions.Configuration;
using HyperFunctions.Simulator;
using HyperFunctions.Storage;
using HyperFunctions.Storage.Ledger;
using HyperFunctions.Streaming;
using HyperFunctions.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HyperFunctions.Benchmarks;

/// <summary>
/// <c>--keeper-storage [seconds]</c>: the stream keeper with its real writer loop and storage writes on a
/// private Azurite, fed by the simulator with a 5 ms market step (l2Book and activeAssetCtx for BTC and ETH
/// on every step, about 800 messages/s), on the real clock, heartbeat every second. Once a second it reads the heartbeat row back
/// from storage and prints its age, the keeper's message and storage-write rates and the managed heap.
/// Not a BenchmarkDotNet benchmark: one timed pass (docs/performance.md).
/// </summary>
internal static class KeeperStorageDiagnostics
{
    public static async Task<int> RunAsync(int seconds)
    {
        await using var azurite = await AzuriteInstance.StartNewAsync();
        await using var sim = await HyperliquidSimulator.StartAsync(new SimulatorOptions { MarketTickInterval = TimeSpan.FromMilliseconds(5) });
        var values = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Hyperliquid:RestUrl"] = sim.RestUrl.ToString(),
            ["Hyperliquid:WsUrl"] = sim.WsUrl.ToString(),
            ["Keeper:HeartbeatIntervalSeconds"] = "1",
            ["Keeper:Coins:0"] = "BTC",
            ["Keeper:Coins:1"] = "ETH",
            ["Keeper:Accounts:0"] = SimulatorAccount.Dev.Address,
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var loaded = await ConfigurationLoader.LoadAsync(configuration, null, requireApiKeys: false);
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddConsole());
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(loaded);
        services.AddSingleton(new StorageClients(loaded));
        services.AddSingleton(sp => new LedgerTableStore(sp.GetRequiredService<StorageClients>().LedgerTable, "default"));
        services.AddSingleton<SafetyLedger>();
        services.AddStreamKeeper(configuration, loaded);
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<SafetyLedger>().BootAsync(CancellationToken.None);
        var keeper = provider.GetRequiredService<StreamKeeper>();
        var socket = provider.GetRequiredService<HyperFunctions.Hyperliquid.Socket.HyperliquidSocket>();
        var store = new HyperFunctions.Storage.Streaming.StreamFactsStore(provider.GetRequiredService<StorageClients>().Tables, "Hf", "default");
        await keeper.StartAsync(CancellationToken.None);

        Console.WriteLine("second  msgs/s  writes/s  heartbeatAge(s)  heap(MiB)");
        var clock = Stopwatch.StartNew();
        long lastMessages = 0, lastWrites = 0;
        double worstAge = 0, totalWrites = 0, totalMessages = 0;
        long peakHeap = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        for (var i = 1; i <= seconds && await timer.WaitForNextTickAsync(); i++)
        {
            var stats = socket.GetStatistics();
            var snap = keeper.Snapshot();
            var heartbeat = await store.ReadHeartbeatAsync(CancellationToken.None);
            var age = heartbeat is null ? double.NaN : (DateTimeOffset.UtcNow - heartbeat.WrittenAt).TotalSeconds;
            var heap = GC.GetTotalMemory(false);
            var (msgs, writes) = (stats.MessagesReceived - lastMessages, snap.StorageWrites - lastWrites);
            (lastMessages, lastWrites) = (stats.MessagesReceived, snap.StorageWrites);
            if (i > 3) // after warm-up
            {
                worstAge = Math.Max(worstAge, age);
                totalWrites += writes;
                totalMessages += msgs;
                peakHeap = Math.Max(peakHeap, heap);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{i,6}  {msgs,6}  {writes,8}  {age,15:F2}  {heap / 1048576.0,9:F1}"));
        }
        var measured = Math.Max(1, seconds - 3);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"after warm-up: {totalMessages / measured:F0} messages/s, {totalWrites / measured:F1} storage writes/s, worst heartbeat age {worstAge:F2} s, peak heap {peakHeap / 1048576.0:F1} MiB, events dropped {socket.GetStatistics().EventsDropped}"));
        await keeper.StopAsync(CancellationToken.None);
        return worstAge < 2 ? 0 : 1;
    }
}
