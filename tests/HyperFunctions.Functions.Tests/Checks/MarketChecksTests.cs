using System.Text.Json.Nodes;
using HyperFunctions.Simulator;
using HyperFunctions.TestSupport;

namespace HyperFunctions.Functions.Tests.Checks;

/// <summary>StalenessCheck and FundingDelayCheck against the simulator's REST answers (and its faults).</summary>
[Collection(AzuriteCollection.Name)]
public sealed class MarketChecksTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_stale_book_is_refreshed_over_rest_first_and_only_then_is_it_stale()
    {
        await using var s = await CheckScenario.StartAsync(azurite.ConnectionString);
        await s.WriteMarketsAsync(bookAge: TimeSpan.FromSeconds(60), fundingAge: Fresh, ethBookAge: Fresh);
        var (refreshed, ledger) = await s.RunAsync("StalenessCheck");
        Assert.Equal("DEGRADED", (string?)refreshed["health"]);
        Assert.StartsWith("RefreshedOverRest", (string?)refreshed["data"]!["book:BTC"], StringComparison.Ordinal);
        Assert.StartsWith("Fresh", (string?)refreshed["data"]!["book:ETH"], StringComparison.Ordinal);
        Assert.Empty(ledger);

        s.Sim.Faults.HttpErrors(503, count: 1000);
        var (stale, raised) = await s.RunAsync("StalenessCheck");
        Assert.Equal("UNHEALTHY", (string?)stale["health"]);
        Assert.Equal("BTC", (string?)stale["data"]!["staleCoins"]);
        Assert.Contains("no backup source configured", (string?)stale["summary"], StringComparison.Ordinal);
        Assert.Contains(raised, l => ((string)l!).StartsWith("raise MARKET_DATA_STALE: applied", StringComparison.Ordinal));
        Assert.Contains("MARKET_DATA_STALE", await s.ConditionsAsync());
        var markets = await MarketsAsync(s);
        Assert.True((bool)markets["BTC"]!["stale"]!);
        Assert.False((bool)markets["ETH"]!["stale"]!);

        s.Sim.Faults.Clear();
        await s.WriteMarketsAsync(bookAge: Fresh, fundingAge: Fresh);
        var (healthy, cleared) = await s.RunAsync("StalenessCheck");
        Assert.Equal("HEALTHY", (string?)healthy["health"]);
        Assert.Contains(cleared, l => ((string)l!).StartsWith("clear MARKET_DATA_STALE", StringComparison.Ordinal));
        Assert.DoesNotContain("MARKET_DATA_STALE", await s.ConditionsAsync());
    }

    [Fact]
    public async Task The_backup_source_answers_when_the_venue_cannot()
    {
        await using var backup = await HyperliquidSimulator.StartAsync(new SimulatorOptions { Seed = 3 });
        await using var s = await CheckScenario.StartAsync(azurite.ConnectionString, new Dictionary<string, string?> { ["Checks:Staleness:BackupRestUrl"] = backup.RestUrl.ToString() });
        // The backup runs on its own (real) clock: give the scenario's clock the same time so its books are fresh.
        s.Time.Advance(TimeProvider.System.GetUtcNow() - s.Now);
        await s.WriteMarketsAsync(bookAge: TimeSpan.FromSeconds(60), fundingAge: Fresh);
        s.Sim.Faults.HttpErrors(503, count: 1000);
        var (result, ledger) = await s.RunAsync("StalenessCheck");
        Assert.Equal("DEGRADED", (string?)result["health"]);
        Assert.StartsWith("RefreshedFromBackup", (string?)result["data"]!["book:BTC"], StringComparison.Ordinal);
        Assert.Contains("REST refresh failed", (string?)result["data"]!["book:BTC"], StringComparison.Ordinal);
        Assert.Empty(ledger);
    }

    [Fact]
    public async Task Funding_overdue_is_fetched_directly_and_stale_only_when_that_fails_with_the_reduction_factor_published()
    {
        await using var s = await CheckScenario.StartAsync(azurite.ConnectionString, new Dictionary<string, string?> { ["Checks:Funding:ReductionFactor"] = "0.25" });
        await s.WriteMarketsAsync(bookAge: Fresh, fundingAge: TimeSpan.FromHours(2));
        var (fetched, ledger) = await s.RunAsync("FundingDelayCheck");
        Assert.Equal("DEGRADED", (string?)fetched["health"]);
        Assert.Equal("1", (string?)fetched["data"]!["sizeReductionFactor"]);
        Assert.Empty(ledger);

        s.Sim.Faults.HttpErrors(500, count: 1000);
        var (stale, raised) = await s.RunAsync("FundingDelayCheck");
        Assert.Equal("UNHEALTHY", (string?)stale["health"]);
        Assert.Equal("0.25", (string?)stale["data"]!["sizeReductionFactor"]);
        Assert.Equal("BTC,ETH", (string?)stale["data"]!["staleCoins"]);
        var condition = Assert.Single(stale["conditions"]!.AsArray());
        Assert.Equal(("FUNDING_STALE", true, 3), ((string?)condition!["reason"], (bool)condition["holds"]!, (int)condition["alertLevel"]!));
        Assert.Contains(raised, l => ((string)l!).StartsWith("raise FUNDING_STALE: applied", StringComparison.Ordinal));
        var markets = await MarketsAsync(s);
        Assert.True((bool)markets["BTC"]!["fundingStale"]!);
        Assert.Equal(0.0001m, (decimal)markets["BTC"]!["funding"]!); // the last known rate stays shown, flagged
    }

    /// <summary>Status shows the market rows once its background refresh (every probe interval, on the driven clock) has read them.</summary>
    private static async Task<JsonObject> MarketsAsync(CheckScenario s)
    {
        using var guard = new CancellationTokenSource(CheckScenario.HangGuard);
        while (true)
        {
            var markets = (await s.StatusAsync())["markets"]!.AsObject();
            if (markets.ContainsKey("BTC")) return markets;
            s.Time.Advance(TimeSpan.FromSeconds(5));
            await Task.Yield();
            guard.Token.ThrowIfCancellationRequested();
        }
    }
}
