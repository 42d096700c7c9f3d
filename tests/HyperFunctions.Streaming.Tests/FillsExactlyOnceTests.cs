using HyperFunctions.Domain.Safety;
using HyperFunctions.Hyperliquid.Socket;
using HyperFunctions.Storage.Ledger;
using HyperFunctions.Streaming.Tests.Support;
using HyperFunctions.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace HyperFunctions.Streaming.Tests;

/// <summary>Fills and order updates exactly once, durable cursors, resume after downtime, and the backfill window.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class FillsExactlyOnceTests(AzuriteFixture azurite)
{
    private static AccountView Dev(KeeperSnapshot s) => s.Accounts.Single(a => a.Account == KeeperScenario.Dev);

    [Fact]
    public async Task Live_fills_are_written_once_with_a_cursor_and_a_resubscribe_snapshot_doubles_nothing()
    {
        await using var scenario = await KeeperScenario.StartAsync(azurite);
        var (keeper, services) = await scenario.StartKeeperAsync();
        await KeeperScenario.WaitAsync(keeper, s => s.Connected, "connected");
        await keeper.TickAsync(CancellationToken.None);
        Assert.Equal("done", Dev(keeper.Snapshot()).Backfill); // fresh: following from now

        await scenario.TradeAsync("BTC", buy: true);
        await scenario.TradeAsync("ETH", buy: true);
        await scenario.TradeAsync("BTC", buy: false);
        var venue = await scenario.VenueFillsAsync();
        Assert.True(venue.Count >= 3);
        await KeeperScenario.WaitAsync(keeper, s => Dev(s).PendingFills >= venue.Count, "the live fills");
        await keeper.TickAsync(CancellationToken.None);

        var store = scenario.Store();
        var stored = await store.ReadFillsAsync(KeeperScenario.Dev, CancellationToken.None);
        Assert.Equal(venue.Select(f => $"{f.Hash}-{f.Tid}").Order(), stored.Select(f => f.Key).Order());
        var cursor = await store.ReadCursorAsync(KeeperScenario.Dev, CancellationToken.None);
        var newest = stored.MaxBy(f => (f.Time, f.Tid))!;
        Assert.Equal((newest.Key, newest.Time), (cursor!.LastKey, cursor.LastTime));
        Assert.True(await store.CountOrderUpdatesAsync(KeeperScenario.Dev, CancellationToken.None) >= 3, "order updates stored (oid + status time)");

        // A reconnect resubscribes; the userFills snapshot repeats the history: still one row per fill.
        services.GetRequiredService<HyperliquidSocket>().ForceReconnect();
        await KeeperScenario.WaitAsync(keeper, s => s.ReconnectsTotal >= 1 && Dev(s).PendingFills >= 1, "the resubscribe snapshot");
        await keeper.TickAsync(CancellationToken.None);
        var again = await store.ReadFillsAsync(KeeperScenario.Dev, CancellationToken.None);
        Assert.Equal(stored.Select(f => f.Key).Order(), again.Select(f => f.Key).Order());
    }

    [Fact]
    public async Task A_restart_after_a_short_outage_backfills_exactly_the_missed_fills_paged_by_time()
    {
        await using var scenario = await KeeperScenario.StartAsync(azurite);
        var settings = new Dictionary<string, string?> { ["Keeper:BackfillPageSize"] = "2" }; // force several pages
        var (first, _) = await scenario.StartKeeperAsync(settings);
        await KeeperScenario.WaitAsync(first, s => s.Connected, "connected");
        await first.TickAsync(CancellationToken.None);
        await scenario.TradeAsync("BTC", buy: true);
        await KeeperScenario.WaitAsync(first, s => Dev(s).PendingFills >= 1, "the live fill");
        await first.TickAsync(CancellationToken.None);
        await first.StopAsync(CancellationToken.None);
        var cursorBefore = (await scenario.Store().ReadCursorAsync(KeeperScenario.Dev, CancellationToken.None))!;

        // Downtime: fills happen while no keeper runs, at several times.
        for (var i = 0; i < 3; i++)
        {
            scenario.Time.Advance(TimeSpan.FromSeconds(5));
            await scenario.TradeAsync(i % 2 == 0 ? "ETH" : "BTC", buy: i % 2 == 0);
        }
        scenario.Time.Advance(TimeSpan.FromSeconds(5));

        var (second, _) = await scenario.StartKeeperAsync(settings);
        await second.TickAsync(CancellationToken.None); // takes the lead, backfills from the cursor, writes
        Assert.Equal("done", Dev(second.Snapshot()).Backfill);

        var venue = await scenario.VenueFillsAsync();
        var stored = await scenario.Store().ReadFillsAsync(KeeperScenario.Dev, CancellationToken.None);
        Assert.Equal(venue.Select(f => $"{f.Hash}-{f.Tid}").Order(), stored.Select(f => f.Key).Order()); // no gap, no duplicate
        var cursor = await scenario.Store().ReadCursorAsync(KeeperScenario.Dev, CancellationToken.None);
        Assert.Equal(venue.Max(f => f.Time), cursor!.LastTime);
        var events = await scenario.Store().ReadEventsAsync(20, CancellationToken.None);
        // The backfill itself fetched them (userFillsByTime from the cursor, inclusive), not just the resubscribe snapshot.
        var expected = venue.Count(f => f.Time >= cursorBefore.LastTime);
        Assert.Contains(events, e => e.Kind == "BACKFILL" && e.Detail.Contains($": {expected} fills", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_gap_past_the_window_halts_and_keeps_the_cursor_and_a_maintenance_skip_recovers_to_ARMED_SAFE()
    {
        await using var scenario = await KeeperScenario.StartAsync(azurite);
        var (first, _) = await scenario.StartKeeperAsync();
        await KeeperScenario.WaitAsync(first, s => s.Connected, "connected");
        await first.TickAsync(CancellationToken.None);
        await first.StopAsync(CancellationToken.None);
        var cursorBefore = await scenario.Store().ReadCursorAsync(KeeperScenario.Dev, CancellationToken.None);
        Assert.NotNull(cursorBefore);

        scenario.Time.Advance(TimeSpan.FromHours(2)); // beyond Keeper:BackfillWindowSeconds (3600)

        var (second, services) = await scenario.StartKeeperAsync();
        await second.TickAsync(CancellationToken.None);
        var ledger = scenario.Ledger(services);
        var state = await ledger.GetEffectiveAsync(CancellationToken.None);
        Assert.Equal((SafetyMode.Halt, ReasonCode.BackfillWindowExceeded), (state.Mode, state.Reason));
        Assert.Equal("halted", Dev(second.Snapshot()).Backfill);
        Assert.Equal(cursorBefore.LastTime, (await scenario.Store().ReadCursorAsync(KeeperScenario.Dev, CancellationToken.None))!.LastTime);
        // Another tick does not move it either, nor lift the HALT.
        await second.TickAsync(CancellationToken.None);
        Assert.Equal(cursorBefore.LastTime, (await scenario.Store().ReadCursorAsync(KeeperScenario.Dev, CancellationToken.None))!.LastTime);
        await second.StopAsync(CancellationToken.None);

        // The operator configures a maintenance skip and restarts: the cursor moves to now and the skip is recorded.
        var (third, thirdServices) = await scenario.StartKeeperAsync(new Dictionary<string, string?> { ["Keeper:MaintenanceSkipGap"] = "true" });
        await third.TickAsync(CancellationToken.None);
        var now = scenario.Time.GetUtcNow();
        var after = await scenario.Ledger(thirdServices).GetEffectiveAsync(CancellationToken.None);
        Assert.Equal((SafetyMode.ArmedSafe, ReasonCode.MaintenanceSkip), (after.Mode, after.Reason));
        var cursor = await scenario.Store().ReadCursorAsync(KeeperScenario.Dev, CancellationToken.None);
        Assert.Equal(now.ToUnixTimeMilliseconds(), cursor!.LastTime);
        var history = await scenario.Ledger(thirdServices).ReadHistoryAsync(10, null, CancellationToken.None);
        var skip = Assert.Single(history, h => h.Kind == "maintenanceSkip");
        Assert.Contains(cursorBefore.LastTimeAt.ToString("O"), skip.Message, StringComparison.Ordinal);
        Assert.Contains(now.ToString("O"), skip.Message, StringComparison.Ordinal);
        // ARMED_SAFE until an operator promotes: further ticks change nothing.
        await third.TickAsync(CancellationToken.None);
        Assert.Equal(SafetyMode.ArmedSafe, (await scenario.Ledger(thirdServices).GetEffectiveAsync(CancellationToken.None)).Mode);
    }
}
