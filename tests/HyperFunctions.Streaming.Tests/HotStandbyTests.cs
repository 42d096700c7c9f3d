using HyperFunctions.Streaming.Tests.Support;
using HyperFunctions.TestSupport;

namespace HyperFunctions.Streaming.Tests;

/// <summary>Two keepers on one instance: one holds the blob lease and writes; the standby takes over when the leader dies.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class HotStandbyTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task The_standby_writes_nothing_and_takes_over_a_dead_leader_without_a_lost_or_doubled_fill()
    {
        await using var scenario = await KeeperScenario.StartAsync(azurite);
        var (leader, _) = await scenario.StartKeeperAsync();
        var (standby, _) = await scenario.StartKeeperAsync();
        await KeeperScenario.WaitAsync(leader, s => s.Connected, "leader connected");
        await KeeperScenario.WaitAsync(standby, s => s.Connected, "standby connected");
        await leader.TickAsync(CancellationToken.None);
        await standby.TickAsync(CancellationToken.None);
        Assert.True(leader.Snapshot().IsLeader);
        Assert.False(standby.Snapshot().IsLeader);
        Assert.Equal(leader.Self, standby.Snapshot().Leader); // named from the heartbeat
        Assert.True(standby.Snapshot().Ready, "a connected standby is ready");

        await scenario.TradeAsync("BTC", buy: true);
        var first = (await scenario.VenueFillsAsync()).Single();
        await KeeperScenario.WaitAsync(standby, s => s.Accounts[0].NewestFillSeen == $"{first.Hash}-{first.Tid}", "the standby seeing the fill");
        await KeeperScenario.WaitAsync(leader, s => s.Accounts[0].NewestFillSeen == $"{first.Hash}-{first.Tid}", "the leader seeing the fill");
        var standbyWrites = standby.Snapshot().StorageWrites;
        await standby.TickAsync(CancellationToken.None);
        await leader.TickAsync(CancellationToken.None);
        Assert.Equal(standbyWrites, standby.Snapshot().StorageWrites); // the standby wrote nothing
        Assert.Equal(leader.Self, (await scenario.Store().ReadHeartbeatAsync(CancellationToken.None))!.Leader);

        // The leader dies without releasing its lease; a fill happens while nobody writes.
        await leader.KillAsync();
        scenario.Time.Advance(TimeSpan.FromSeconds(1));
        await scenario.TradeAsync("ETH", buy: true);

        // The lease expires on storage's own (real) clock after Keeper:LeaseSeconds; the standby competes on every tick.
        // Paced polling of that external condition, bounded by a hang guard; nothing here asserts a duration.
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        while (!standby.Snapshot().IsLeader)
        {
            await standby.TickAsync(guard.Token);
            if (!standby.Snapshot().IsLeader) await pace.WaitForNextTickAsync(guard.Token);
        }
        await standby.TickAsync(CancellationToken.None); // writes what the backfill from the dead leader's cursor found

        var venue = await scenario.VenueFillsAsync();
        var stored = await scenario.Store().ReadFillsAsync(KeeperScenario.Dev, CancellationToken.None);
        Assert.Equal(venue.Select(f => $"{f.Hash}-{f.Tid}").Order(), stored.Select(f => f.Key).Order());
        Assert.Equal(standby.Self, (await scenario.Store().ReadHeartbeatAsync(CancellationToken.None))!.Leader);
        Assert.Equal(venue.Max(f => f.Time), (await scenario.Store().ReadCursorAsync(KeeperScenario.Dev, CancellationToken.None))!.LastTime);
    }

    [Fact]
    public async Task A_clean_stop_releases_the_lease_so_the_standby_takes_over_on_its_next_tick()
    {
        await using var scenario = await KeeperScenario.StartAsync(azurite);
        var (leader, _) = await scenario.StartKeeperAsync();
        var (standby, _) = await scenario.StartKeeperAsync();
        await leader.TickAsync(CancellationToken.None);
        await standby.TickAsync(CancellationToken.None);
        Assert.False(standby.Snapshot().IsLeader);
        await leader.StopAsync(CancellationToken.None);
        await standby.TickAsync(CancellationToken.None);
        Assert.True(standby.Snapshot().IsLeader);
    }
}
