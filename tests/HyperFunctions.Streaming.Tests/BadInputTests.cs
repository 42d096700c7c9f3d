using HyperFunctions.Domain.Streaming;
using HyperFunctions.Streaming.Tests.Support;
using HyperFunctions.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace HyperFunctions.Streaming.Tests;

/// <summary>Corrupt or unexpected venue input is counted, never a crash, never a half-written fact.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BadInputTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_corrupt_frame_is_counted_the_socket_heals_and_the_facts_keep_coming()
    {
        await using var scenario = await KeeperScenario.StartAsync(azurite);
        var (keeper, _) = await scenario.StartKeeperAsync();
        await KeeperScenario.WaitAsync(keeper, s => s.Connected && s.Markets.Count == 2, "connected with books");
        scenario.Sim.Faults.SendCorruptFrames(count: 1);
        await KeeperScenario.WaitAsync(keeper, s => s.BadInputs >= 1 && s.Connected && s.ReconnectsTotal >= 1, "the corrupt frame counted and the socket back");

        scenario.Time.Advance(TimeSpan.FromSeconds(1));
        var now = scenario.Time.GetUtcNow();
        await KeeperScenario.WaitAsync(keeper, s => s.Markets.All(m => m.BookAt >= now), "books after the reconnect");
        await keeper.TickAsync(CancellationToken.None);
        var heartbeat = await scenario.Store().ReadHeartbeatAsync(CancellationToken.None);
        Assert.True(heartbeat!.BadInputs >= 1);
        Assert.All(await scenario.Store().ReadMarketsAsync(CancellationToken.None), m => Assert.True(m.BookAt >= now && m.BestBid is not null && m.BestAsk is not null));
    }

    [Fact]
    public async Task A_coin_the_venue_does_not_know_is_counted_and_the_others_are_written_whole()
    {
        await using var scenario = await KeeperScenario.StartAsync(azurite);
        var (keeper, _) = await scenario.StartKeeperAsync(new Dictionary<string, string?> { ["Keeper:Coins:2"] = "NOPE" });
        await KeeperScenario.WaitAsync(keeper, s => s.BadInputs >= 1 && s.Markets.Count(m => m.BookAt is not null && m.FundingAt is not null) == 2, "the venue's refusal counted, BTC and ETH flowing");
        await keeper.TickAsync(CancellationToken.None);
        var markets = await scenario.Store().ReadMarketsAsync(CancellationToken.None);
        Assert.Equal(["BTC", "ETH"], markets.Select(m => m.Coin).Order());
        Assert.All(markets, m => Assert.True(m.Mid is not null && m.Funding is not null && m.BookAt is not null && m.FundingAt is not null));
    }

    [Fact]
    public async Task A_backfill_answer_of_the_wrong_shape_is_counted_told_once_per_episode_and_writes_nothing_until_a_whole_one_comes()
    {
        await using var scenario = await KeeperScenario.StartAsync(azurite);
        var (first, _) = await scenario.StartKeeperAsync();
        await KeeperScenario.WaitAsync(first, s => s.Connected, "connected");
        await first.TickAsync(CancellationToken.None); // fresh: the cursor is written at now
        await first.StopAsync(CancellationToken.None);
        var store = scenario.Store();
        var cursorBefore = await store.ReadCursorAsync(KeeperScenario.Dev, CancellationToken.None);

        // Downtime with fills: the next keeper must backfill them with userFillsByTime.
        scenario.Time.Advance(TimeSpan.FromSeconds(5));
        await scenario.TradeAsync("BTC", buy: true);
        await scenario.TradeAsync("ETH", buy: false);
        scenario.Time.Advance(TimeSpan.FromSeconds(5));

        // The venue answers twice with JSON of another shape, then twice with a list of fills that the
        // deserializer accepts but that carry nothing but a coin and a price (no hash, tid, size or time).
        scenario.Sim.Faults.MalformedInfo("userFillsByTime", count: 2);
        scenario.Sim.Faults.MalformedInfo("userFillsByTime", count: 2, body: """[{"coin":"BTC","px":"1"}]""");
        var (second, services) = await scenario.StartKeeperAsync(configure: s => s.AddLogging(b => b.SetMinimumLevel(LogLevel.Debug)).AddFakeLogging());
        var logs = services.GetRequiredService<FakeLogCollector>();
        await KeeperScenario.WaitAsync(second, s => s.Connected, "connected");
        for (var i = 0; i < 4; i++) await second.TickAsync(CancellationToken.None); // never a crash

        var during = second.Snapshot();
        Assert.Equal(4, during.BadInputs); // one per answer of the wrong shape
        Assert.Equal("pending", Dev(during).Backfill);
        Assert.Empty(await store.ReadFillsAsync(KeeperScenario.Dev, CancellationToken.None)); // nothing half-written
        Assert.Equal(cursorBefore, await store.ReadCursorAsync(KeeperScenario.Dev, CancellationToken.None)); // the cursor stays
        var told = Assert.Single(logs.GetSnapshot(), r => r.Level >= LogLevel.Warning); // one story for the episode
        Assert.Contains("wrong shape", told.Message, StringComparison.Ordinal);
        Assert.Contains("{\"unexpected\":\"shape\"}", told.Message, StringComparison.Ordinal); // the offending bytes, cut short

        // The faults are spent: the next answer is whole, the backfill completes with exactly the venue's fills.
        await second.TickAsync(CancellationToken.None);
        Assert.Equal("done", Dev(second.Snapshot()).Backfill);
        var venue = await scenario.VenueFillsAsync();
        var stored = await store.ReadFillsAsync(KeeperScenario.Dev, CancellationToken.None);
        Assert.Equal(venue.Select(f => $"{f.Hash}-{f.Tid}").Order(), stored.Select(f => f.Key).Order());
        Assert.Equal(venue.Max(f => f.Time), (await store.ReadCursorAsync(KeeperScenario.Dev, CancellationToken.None))!.LastTime);
        Assert.Contains(logs.GetSnapshot(), r => r.Id.Id == 1202 && r.Message.Contains("4 failures", StringComparison.Ordinal)); // the episode's end
        Assert.Single(logs.GetSnapshot(), r => r.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task A_book_answer_of_the_wrong_shape_on_the_rest_path_is_counted_told_once_and_never_overwrites_a_whole_fact()
    {
        await using var scenario = await KeeperScenario.StartAsync(azurite);
        var (keeper, services) = await scenario.StartKeeperAsync(new Dictionary<string, string?>
        {
            ["Hyperliquid:Socket:BackoffMax"] = "00:00:04",
            ["Hyperliquid:Socket:BreakerFailureThreshold"] = "100",
        }, configure: s => s.AddLogging(b => b.SetMinimumLevel(LogLevel.Debug)).AddFakeLogging());
        await KeeperScenario.WaitAsync(keeper, s => s.Connected && s.Markets.Count == 2, "connected with books");
        await keeper.TickAsync(CancellationToken.None);
        scenario.Sim.Faults.RejectConnections(count: 1000);
        scenario.Sim.Faults.DropConnections();
        await scenario.DriveAsync(keeper, s => s.Source == DataSource.Rest, TimeSpan.FromSeconds(6), "the fallback to REST");
        var logs = services.GetRequiredService<FakeLogCollector>();
        logs.Clear();
        var badBefore = keeper.Snapshot().BadInputs;

        // Two polls get an l2Book answer of the wrong shape: one not a book at all, one a book without levels.
        var notABook = scenario.Sim.Faults.MalformedInfo("l2Book", count: 1);
        var noLevels = scenario.Sim.Faults.MalformedInfo("l2Book", count: 1, body: """{"coin":"BTC","time":1}""");
        for (var i = 0; i < 2; i++)
        {
            scenario.Time.Advance(TimeSpan.FromSeconds(2)); // Keeper:RestPollIntervalSeconds
            await keeper.TickAsync(CancellationToken.None);
        }
        Assert.True((notABook.Applied, noLevels.Applied) == (1, 1), $"faults applied {notABook.Applied}, {noLevels.Applied}; keeper {keeper.Snapshot()}");
        Assert.Equal(badBefore + 2, keeper.Snapshot().BadInputs);
        Assert.All(await scenario.Store().ReadMarketsAsync(CancellationToken.None), m => Assert.True(m.BestBid is not null && m.BestAsk is not null && m.BookAt is not null && m.BidLevels > 0));
        Assert.Single(logs.GetSnapshot(), r => r.Level >= LogLevel.Warning && r.Message.Contains("wrong shape", StringComparison.Ordinal));

        // A whole answer: REST facts flow again, the episode ends.
        scenario.Time.Advance(TimeSpan.FromSeconds(2));
        var now = scenario.Time.GetUtcNow();
        await keeper.TickAsync(CancellationToken.None);
        Assert.All(await scenario.Store().ReadMarketsAsync(CancellationToken.None), m => Assert.Equal(DataSource.Rest, m.Source));
        Assert.Contains(logs.GetSnapshot(), r => r.Id.Id == 1202);
        Assert.Equal(badBefore + 2, keeper.Snapshot().BadInputs);
    }

    private static AccountView Dev(KeeperSnapshot s) => s.Accounts.Single(a => a.Account == KeeperScenario.Dev);

    [Fact]
    public void Offending_input_is_cut_short_and_control_characters_are_replaced()
    {
        var excerpt = BadInput.Excerpt(new string('x', 5000) + "\n");
        Assert.True(excerpt.Length < 160, excerpt);
        Assert.Contains("(5001 chars)", excerpt, StringComparison.Ordinal);
        Assert.Equal("a?b", BadInput.Excerpt("a\u0007b"));
        Assert.Equal("(empty)", BadInput.Excerpt(null));
    }
}
