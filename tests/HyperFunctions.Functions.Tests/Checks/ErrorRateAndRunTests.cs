using HyperFunctions.TestSupport;

namespace HyperFunctions.Functions.Tests.Checks;

[Collection(AzuriteCollection.Name)]
public sealed class ErrorRateAndRunTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Venue_errors_above_the_ratio_raise_ERROR_RATE_HIGH_and_sustained_429s_RATE_LIMITED_without_counting_as_errors()
    {
        await using var s = await CheckScenario.StartAsync(azurite.ConnectionString, new Dictionary<string, string?> { ["Checks:ErrorRate:MinRequests"] = "3" });
        // Venue traffic comes from the staleness check's forced REST read of the one stale coin (BTC), one l2Book
        // call a run. The test moves the clock 5 s between runs, past the client's one-second pause after a 429.
        async Task Refresh()
        {
            await s.WriteMarketsAsync(bookAge: TimeSpan.FromMinutes(10), fundingAge: TimeSpan.FromSeconds(1), ethBookAge: TimeSpan.Zero);
            await s.RunAsync("StalenessCheck");
        }
        await Refresh();
        s.Time.Advance(TimeSpan.FromSeconds(5));
        await Refresh();
        var (quiet, _) = await s.RunAsync("ErrorRateCheck");
        Assert.Equal("HEALTHY", (string?)quiet["health"]);
        Assert.Equal("0", (string?)quiet["data"]!["errors"]);
        Assert.True(int.Parse((string)quiet["data"]!["requests"]!, System.Globalization.CultureInfo.InvariantCulture) >= 2, quiet.ToJsonString());

        s.Sim.Faults.RateLimit(1000);
        s.Time.Advance(TimeSpan.FromSeconds(5));
        await Refresh();
        var (limited, none) = await s.RunAsync("ErrorRateCheck");
        Assert.Equal("0", (string?)limited["data"]!["errors"]); // 429s are the rate-limit condition's business
        Assert.Equal("DEGRADED", (string?)limited["health"]); // an episode is open, not yet sustained
        Assert.DoesNotContain(none, l => ((string)l!).StartsWith("raise", StringComparison.Ordinal));

        // 429s every 5 s (within the episode's quiet period) for over a minute: a sustained episode.
        for (var i = 0; i < 13; i++)
        {
            s.Time.Advance(TimeSpan.FromSeconds(5));
            await Refresh();
        }
        var (sustained, raisedLimited) = await s.RunAsync("ErrorRateCheck");
        Assert.Equal("UNHEALTHY", (string?)sustained["health"]);
        Assert.Contains(raisedLimited, l => ((string)l!).StartsWith("raise RATE_LIMITED: applied", StringComparison.Ordinal));
        Assert.Equal("0", (string?)sustained["data"]!["errors"]);

        s.Sim.Faults.Clear();
        s.Sim.Faults.HttpErrors(500, count: 1000);
        for (var i = 0; i < 3; i++)
        {
            s.Time.Advance(TimeSpan.FromSeconds(5));
            await Refresh();
        }
        var (high, raised) = await s.RunAsync("ErrorRateCheck");
        Assert.Contains(raised, l => ((string)l!).StartsWith("raise ERROR_RATE_HIGH: applied", StringComparison.Ordinal));
        Assert.Contains("ERROR_RATE_HIGH", await s.ConditionsAsync());
        Assert.NotEqual("0", (string?)high["data"]!["errors"]);
    }

    [Fact]
    public async Task Run_needs_the_admin_key_names_the_checks_for_an_unknown_name_and_status_lists_every_check()
    {
        await using var s = await CheckScenario.StartAsync(azurite.ConnectionString);
        var (readKey, _) = await s.App.SendAsync(HttpMethod.Post, "/api/checks/HeartbeatCheck/run", TestApp.FunctionKey);
        Assert.Equal(403, readKey);
        var (unknown, problem) = await s.App.SendAsync(HttpMethod.Post, "/api/checks/NoSuchCheck/run", TestApp.AdminKey);
        Assert.Equal(404, unknown);
        Assert.Contains("ErrorRateCheck, FundingDelayCheck, HeartbeatCheck, ReconciliationCheck, ServiceHealthCheck, StalenessCheck, StorageHealthCheck", (string?)problem!["detail"], StringComparison.Ordinal);

        var before = (await s.StatusAsync())["checks"]!;
        Assert.Equal("PENDING", (string?)before["items"]!["StalenessCheck"]!["health"]);
        Assert.Equal("DEGRADED", (string?)before["overall"]);

        var (result, _) = await s.RunAsync("storagehealthcheck"); // names match ignoring case
        Assert.Equal(("HEALTHY", "manual"), ((string?)result["health"], (string?)result["trigger"]));
        var after = (await s.StatusAsync())["checks"]!;
        Assert.Equal("HEALTHY", (string?)after["items"]!["StorageHealthCheck"]!["health"]);
        Assert.Equal(1, (int)after["healthy"]!);
        Assert.Equal(7, (int)after["total"]!);
    }
}
