using HyperFunctions.Domain.Streaming;
using HyperFunctions.Streaming.Tests.Support;
using HyperFunctions.TestSupport;

namespace HyperFunctions.Streaming.Tests;

/// <summary>Simulator + Azurite + keeper: the facts land in storage and move with the venue.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class KeeperFactsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Heartbeat_and_market_rows_are_written_and_advance_with_the_venue()
    {
        await using var scenario = await KeeperScenario.StartAsync(azurite);
        var (keeper, _) = await scenario.StartKeeperAsync();
        await KeeperScenario.WaitAsync(keeper, s => s.Connected && s.Markets.Count == 2 && s.Markets.All(m => m.BookAt is not null && m.FundingAt is not null), "books and contexts of BTC and ETH");

        await keeper.TickAsync(CancellationToken.None);
        var store = scenario.Store();
        var first = await store.ReadHeartbeatAsync(CancellationToken.None);
        Assert.NotNull(first);
        Assert.True(first.Connected);
        Assert.Equal(DataSource.WebSocket, first.Source);
        Assert.Equal(keeper.Self, first.Leader);
        Assert.Equal(scenario.Time.GetUtcNow(), first.WrittenAt);
        var markets = await store.ReadMarketsAsync(CancellationToken.None);
        Assert.Equal(["BTC", "ETH"], markets.Select(m => m.Coin).Order());
        var btc = markets.Single(m => m.Coin == "BTC");
        Assert.True(btc.BestBid < btc.BestAsk, "best bid below best ask");
        Assert.Equal((btc.BestBid + btc.BestAsk) / 2, btc.Mid);
        Assert.True(btc.BidLevels > 0 && btc.BidDepth > 0 && btc.AskDepth > 0);
        Assert.NotNull(btc.Funding);
        Assert.NotNull(btc.MarkPx);
        Assert.NotNull(btc.OraclePx);
        var bookAt = btc.BookAt!.Value;

        // The venue moves on: two market steps later the keeper's rows carry the new book time and a newer heartbeat.
        scenario.Time.Advance(TimeSpan.FromSeconds(2));
        var now = scenario.Time.GetUtcNow();
        await KeeperScenario.WaitAsync(keeper, s => s.Markets.All(m => m.BookAt >= now && m.FundingAt >= now), "the books of the new step");
        await keeper.TickAsync(CancellationToken.None);

        var second = await store.ReadHeartbeatAsync(CancellationToken.None);
        Assert.Equal(now, second!.WrittenAt);
        Assert.True(second.LastMessageAt >= now);
        var btc2 = (await store.ReadMarketsAsync(CancellationToken.None)).Single(m => m.Coin == "BTC");
        Assert.True(btc2.BookAt > bookAt, $"book time advanced ({bookAt:O} -> {btc2.BookAt:O})");
        Assert.True(btc2.FundingAt >= now);
    }

    [Fact]
    public async Task Market_writes_are_coalesced_to_one_row_per_coin_per_interval()
    {
        await using var scenario = await KeeperScenario.StartAsync(azurite);
        var (keeper, _) = await scenario.StartKeeperAsync();
        await KeeperScenario.WaitAsync(keeper, s => s.Markets.Count == 2 && s.Markets.All(m => m.BookAt is not null), "books");
        await keeper.TickAsync(CancellationToken.None);
        var writesAfterFirst = keeper.Snapshot().StorageWrites;

        // Many venue updates within one snapshot interval: no further market row, however many messages came.
        var messagesBefore = keeper.Snapshot();
        for (var i = 0; i < 20; i++) scenario.Sim.Market.Tick();
        await KeeperScenario.WaitAsync(keeper, s => s.Markets.Single(m => m.Coin == "BTC").Mid != messagesBefore.Markets.Single(m => m.Coin == "BTC").Mid, "new books");
        await keeper.TickAsync(CancellationToken.None);
        Assert.Equal(writesAfterFirst, keeper.Snapshot().StorageWrites); // same clock second: nothing due (heartbeat included)

        scenario.Time.Advance(TimeSpan.FromSeconds(1));
        await keeper.TickAsync(CancellationToken.None);
        // One market batch (both coins in one transaction); the heartbeat is due every 2 s, not yet.
        Assert.Equal(writesAfterFirst + 1, keeper.Snapshot().StorageWrites);
    }
}
