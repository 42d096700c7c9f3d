using HyperFunctions.Domain.Streaming;
using HyperFunctions.Streaming.Tests.Support;
using HyperFunctions.TestSupport;

namespace HyperFunctions.Streaming.Tests;

/// <summary>
/// Data-path failover against the simulator's connection faults: after 5 failed reconnect attempts the
/// keeper polls REST (source <c>rest</c>, an event recorded), keeps retrying the socket, and hands back
/// once the socket has been stable for Keeper:HandBackAfterSeconds. No fill is lost or doubled across
/// either switch. The clock is driven to each pending timer (never past 6 s, below the REST timeouts) only while
/// the socket is down; the simulator's market ticker is off, so no periodic timer carries the clock past the
/// socket's silence watchdog while frames are still crossing the real socket (the test moves time itself there).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DataPathFailoverTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Horizon = TimeSpan.FromSeconds(6);

    [Fact]
    public async Task Five_failed_reconnects_fall_back_to_rest_and_a_stable_socket_takes_over_again_without_losing_a_fill()
    {
        await using var scenario = await KeeperScenario.StartAsync(azurite, marketTicks: false);
        var (keeper, _) = await scenario.StartKeeperAsync(new Dictionary<string, string?>
        {
            ["Keeper:HandBackAfterSeconds"] = "5",
            ["Hyperliquid:Socket:BackoffMax"] = "00:00:04",          // keep every retry within the driven horizon
            ["Hyperliquid:Socket:BreakerFailureThreshold"] = "100",  // the breaker's 2-minute cool-off is not under test here
        });
        await KeeperScenario.WaitAsync(keeper, s => s.Connected, "connected");
        await keeper.TickAsync(CancellationToken.None);
        await scenario.TradeAsync("BTC", buy: true); // a fill on the websocket path
        await KeeperScenario.WaitAsync(keeper, s => s.Accounts[0].PendingFills >= 1, "the live fill");
        await keeper.TickAsync(CancellationToken.None);

        // The venue refuses every new connection and drops the live one.
        var reject = scenario.Sim.Faults.RejectConnections(count: 1000);
        scenario.Sim.Faults.DropConnections();
        await Drive(scenario, keeper, s => s.Source == DataSource.Rest, "the fallback to REST");
        var atFallback = keeper.Snapshot();
        Assert.False(atFallback.Connected);
        Assert.True(atFallback.ConsecutiveFailures >= 4, $"failed attempts {atFallback.ConsecutiveFailures}"); // the drop plus 4 refused attempts

        // On REST: facts keep flowing, fills too (userFillsByTime from the cursor).
        scenario.Time.Advance(TimeSpan.FromSeconds(1));
        await scenario.TradeAsync("ETH", buy: true);
        await keeper.TickAsync(CancellationToken.None);
        var store = scenario.Store();
        var heartbeat = await store.ReadHeartbeatAsync(CancellationToken.None);
        Assert.Equal(DataSource.Rest, heartbeat!.Source);
        Assert.False(heartbeat.Connected);
        Assert.All(await store.ReadMarketsAsync(CancellationToken.None), m => Assert.Equal(DataSource.Rest, m.Source));
        Assert.True(keeper.Snapshot().RestPolls >= 1);
        Assert.Contains(await store.ReadEventsAsync(20, CancellationToken.None), e => e.Kind == "FALLBACK_TO_REST");
        Assert.True(keeper.Snapshot().Ready, "ready on the REST path");

        // The venue accepts connections again: the socket reconnects in the background and, stable for 5 s, takes over.
        reject.Remove();
        await Drive(scenario, keeper, s => s.Connected, "the socket back");
        await KeeperScenario.WaitAsync(keeper, s => s.Markets.All(m => m.Source == DataSource.WebSocket), "books over the new socket (the resubscribe snapshots)");
        Assert.Equal(DataSource.Rest, keeper.Snapshot().Source); // not stable long enough yet
        scenario.Time.Advance(TimeSpan.FromSeconds(4));
        scenario.Sim.Market.Tick();
        await KeeperScenario.WaitAsync(keeper, s => s.LastDataAt >= scenario.Time.GetUtcNow(), "the book of the market step");
        Assert.Equal(DataSource.Rest, keeper.Snapshot().Source); // 4 s of data: still one short of Keeper:HandBackAfterSeconds
        scenario.Time.Advance(TimeSpan.FromSeconds(1));
        scenario.Sim.Market.Tick();
        await KeeperScenario.WaitAsync(keeper, s => s.Source == DataSource.WebSocket, "the hand-back");
        await scenario.TradeAsync("BTC", buy: false);
        var venue = await scenario.VenueFillsAsync();
        var newest = venue.MaxBy(f => (f.Time, f.Tid));
        await KeeperScenario.WaitAsync(keeper, s => s.Accounts[0].NewestFillSeen == $"{newest.Hash}-{newest.Tid}", "the live fill after the hand-back");
        await keeper.TickAsync(CancellationToken.None);

        Assert.Equal(DataSource.WebSocket, (await store.ReadHeartbeatAsync(CancellationToken.None))!.Source);
        Assert.Contains(await store.ReadEventsAsync(20, CancellationToken.None), e => e.Kind == "BACK_TO_WEBSOCKET");
        var stored = await store.ReadFillsAsync(KeeperScenario.Dev, CancellationToken.None);
        Assert.Equal(venue.Select(f => $"{f.Hash}-{f.Tid}").Order(), stored.Select(f => f.Key).Order()); // none lost, none doubled
    }

    private static Task Drive(KeeperScenario scenario, StreamKeeper keeper, Func<KeeperSnapshot, bool> condition, string what) =>
        scenario.DriveAsync(keeper, condition, Horizon, what);
}
