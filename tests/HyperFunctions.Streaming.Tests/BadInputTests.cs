using HyperFunctions.Streaming.Tests.Support;
using HyperFunctions.TestSupport;

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
    public void Offending_input_is_cut_short_and_control_characters_are_replaced()
    {
        var excerpt = BadInput.Excerpt(new string('x', 5000) + "\n");
        Assert.True(excerpt.Length < 160, excerpt);
        Assert.Contains("(5001 chars)", excerpt, StringComparison.Ordinal);
        Assert.Equal("a?b", BadInput.Excerpt("a\u0007b"));
        Assert.Equal("(empty)", BadInput.Excerpt(null));
    }
}
