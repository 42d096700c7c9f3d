using HyperFunctions.Domain.Failover;
using HyperFunctions.Storage.Failover;
using HyperFunctions.Streaming.Tests.Support;
using HyperFunctions.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace HyperFunctions.Streaming.Tests;

/// <summary>
/// Two keepers of one instance on different failover sites, sharing one Azurite and one simulator: only the
/// active site's keeper leads; when the marker moves, the lead moves with it and the other keeper stays hot.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PassiveSiteKeeperTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Only_the_active_sites_keeper_leads_and_the_lead_follows_a_failover()
    {
        await using var scenario = await KeeperScenario.StartAsync(azurite);
        var table = AzuriteFixture.UniqueName("Failover");
        // The backup's keeper starts first and ticks first: without the site rule it would take the lease.
        var (backup, _) = await scenario.StartKeeperAsync(Sites("backup", table));
        var (primary, _) = await scenario.StartKeeperAsync(Sites("primary", table));
        await KeeperScenario.WaitAsync(backup, s => s.Connected, "backup keeper connected");
        await KeeperScenario.WaitAsync(primary, s => s.Connected, "primary keeper connected");

        await backup.TickAsync(CancellationToken.None);
        Assert.False(backup.Snapshot().IsLeader, "no failover row yet: the primary is active and the backup's keeper does not lead");
        Assert.False(backup.Snapshot().MayLead);
        Assert.Equal("backup", backup.Snapshot().Site);
        await primary.TickAsync(CancellationToken.None);
        Assert.True(primary.Snapshot().IsLeader);
        Assert.True(primary.Snapshot().MayLead);
        await backup.TickAsync(CancellationToken.None);
        Assert.Equal(primary.Self, backup.Snapshot().Leader); // named from the heartbeat
        Assert.True(backup.Snapshot().Ready, "the passive keeper is hot: connected and ready");

        // A fill before the failover: the passive keeper sees it (hot) but writes nothing.
        await scenario.TradeAsync("BTC", buy: true);
        var first = (await scenario.VenueFillsAsync()).Single();
        await KeeperScenario.WaitAsync(backup, s => s.Accounts[0].NewestFillSeen == $"{first.Hash}-{first.Tid}", "the backup keeper seeing the fill");
        var backupWrites = backup.Snapshot().StorageWrites;
        await backup.TickAsync(CancellationToken.None);
        Assert.Equal(backupWrites, backup.Snapshot().StorageWrites);

        // Failover: the marker moves to the backup (as the coordinator's switch step writes it).
        var store = new FailoverStore(new Azure.Data.Tables.TableServiceClient(azurite.ConnectionString).GetTableClient(table), "default");
        await store.EnsureTableAsync(CancellationToken.None);
        var switched = FailoverRecord.Genesis("primary") with { State = FailoverState.FailedOver, ActiveSite = "backup", Version = 1 };
        Assert.NotNull(await store.TryWriteAsync(switched, null, null, [], CancellationToken.None));
        scenario.Time.Advance(TimeSpan.FromSeconds(3)); // past Failover:ActiveSiteCacheSeconds (2)
        await scenario.TradeAsync("ETH", buy: true); // a fill around the hand-over

        await primary.TickAsync(CancellationToken.None);
        Assert.False(primary.Snapshot().IsLeader, "the primary's keeper handed the lead over");
        Assert.False(primary.Snapshot().MayLead);
        await backup.TickAsync(CancellationToken.None); // the lease was released: taken at once, no expiry wait
        Assert.True(backup.Snapshot().IsLeader);
        await backup.TickAsync(CancellationToken.None); // writes what its backfill from the cursor found
        await primary.TickAsync(CancellationToken.None);
        Assert.False(primary.Snapshot().IsLeader, "a passive keeper does not take the lease back");
        Assert.True(primary.Snapshot().Connected, "the old leader stays connected");
        Assert.Equal(backup.Self, primary.Snapshot().Leader);

        var events = await scenario.Store().ReadEventsAsync(50, CancellationToken.None);
        Assert.Contains(events, e => e.Kind == "LEADER_HANDED_OVER" && e.Writer == primary.Self && e.Detail.Contains("site primary is passive", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Kind == "LEADER_ACQUIRED" && e.Writer == backup.Self);
        var venue = await scenario.VenueFillsAsync();
        var stored = await scenario.Store().ReadFillsAsync(KeeperScenario.Dev, CancellationToken.None);
        Assert.Equal(venue.Select(f => $"{f.Hash}-{f.Tid}").Order(), stored.Select(f => f.Key).Order()); // none lost, none doubled

        // Failback: the lead returns to the primary's keeper.
        var back = switched with { State = FailoverState.Primary, ActiveSite = "primary", Version = 2 };
        var current = await store.ReadAsync(CancellationToken.None);
        Assert.NotNull(await store.TryWriteAsync(back, current!.ETag, null, [], CancellationToken.None));
        scenario.Time.Advance(TimeSpan.FromSeconds(3));
        await backup.TickAsync(CancellationToken.None);
        await primary.TickAsync(CancellationToken.None);
        Assert.False(backup.Snapshot().IsLeader);
        Assert.True(primary.Snapshot().IsLeader);
        Assert.True(backup.Snapshot().Connected);
    }

    [Fact]
    public async Task When_the_marker_cannot_be_read_the_keeper_keeps_its_last_answer()
    {
        await using var scenario = await KeeperScenario.StartAsync(azurite);
        var eligibility = new SwitchableEligibility();
        var (keeper, _) = await scenario.StartKeeperAsync(configure: s => s.AddSingleton<ILeadershipEligibility>(eligibility));
        await KeeperScenario.WaitAsync(keeper, s => s.Connected, "keeper connected");

        await keeper.TickAsync(CancellationToken.None);
        Assert.True(keeper.Snapshot().IsLeader);
        eligibility.Answer = null; // storage down for the marker
        await keeper.TickAsync(CancellationToken.None);
        Assert.True(keeper.Snapshot().IsLeader, "an unreadable marker does not take the lead away");

        eligibility.Answer = new LeadershipEligibility(false, "primary", "site primary is passive (test)");
        await keeper.TickAsync(CancellationToken.None);
        Assert.False(keeper.Snapshot().IsLeader);
        Assert.Equal("site primary is passive (test)", keeper.Snapshot().MayLeadReason);
        eligibility.Answer = null;
        await keeper.TickAsync(CancellationToken.None);
        Assert.False(keeper.Snapshot().IsLeader, "an unreadable marker does not give the lead back either");
        Assert.True(keeper.Snapshot().Connected);
    }

    private sealed class SwitchableEligibility : ILeadershipEligibility
    {
        public LeadershipEligibility? Answer { get; set; } = new(true, "primary", "site primary is active (test)");

        public Task<LeadershipEligibility> CheckAsync(CancellationToken ct) =>
            Answer is { } a ? Task.FromResult(a) : Task.FromException<LeadershipEligibility>(new TimeoutException("the failover table did not answer (test)"));
    }

    private static Dictionary<string, string?> Sites(string site, string table) => new()
    {
        ["Failover:Site"] = site,
        ["Failover:Table"] = table,
        ["Failover:Sites:0:Name"] = "primary",
        ["Failover:Sites:1:Name"] = "backup",
        ["Failover:Hooks:0:Name"] = "switch", // the configuration needs one; the keeper never runs hooks
        ["Failover:Hooks:0:Kind"] = "switchSite",
    };
}
