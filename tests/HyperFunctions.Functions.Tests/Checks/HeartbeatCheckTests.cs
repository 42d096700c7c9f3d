using HyperFunctions.Domain.Streaming;
using HyperFunctions.TestSupport;

namespace HyperFunctions.Functions.Tests.Checks;

[Collection(AzuriteCollection.Name)]
public sealed class HeartbeatCheckTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_dead_keeper_lowers_to_ARMED_SAFE_with_WS_HEARTBEAT_LOST_and_it_clears_itself_after_the_healthy_time()
    {
        await using var s = await CheckScenario.StartAsync(azurite.ConnectionString, new Dictionary<string, string?> { ["Safety:SelfClearing:WS_HEARTBEAT_LOST"] = "60" });
        await s.WriteHeartbeatAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        var (healthy, _) = await s.RunAsync("HeartbeatCheck");
        Assert.Equal("HEALTHY", (string?)healthy["health"]);
        var (promoted, _) = await s.App.SendAsync(HttpMethod.Post, "/api/safety/promote", TestApp.AdminKey, """{"reason":"test: live"}""");
        Assert.Equal(200, promoted);

        s.Time.Advance(TimeSpan.FromSeconds(31)); // the keeper writes nothing more
        var (lost, ledger) = await s.RunAsync("HeartbeatCheck");
        Assert.Equal("UNHEALTHY", (string?)lost["health"]);
        Assert.StartsWith("keeper dead: its heartbeat row is 32 s old", (string?)lost["summary"], StringComparison.Ordinal);
        Assert.Contains(ledger, l => ((string)l!).StartsWith("raise WS_HEARTBEAT_LOST: applied (now ARMED_SAFE", StringComparison.Ordinal));
        Assert.Equal("ARMED_SAFE", await s.ModeAsync());
        Assert.Contains("WS_HEARTBEAT_LOST", await s.ConditionsAsync());
        var top = (await s.App.HistoryAsync(1))[0]!;
        Assert.Equal(("WS_HEARTBEAT_LOST", "HeartbeatCheck", "ARMED_SAFE"), ((string?)top["reason"], (string?)top["actor"], (string?)top["to"]));
        Assert.Equal("UNHEALTHY", (string?)(await s.StatusAsync())["checks"]!["items"]!["HeartbeatCheck"]!["health"]);

        // A repeat run while still lost writes nothing new to the ledger.
        var (_, repeat) = await s.RunAsync("HeartbeatCheck");
        Assert.Empty(repeat);

        await s.WriteHeartbeatAsync(TimeSpan.Zero, TimeSpan.Zero);
        var (back, early) = await s.RunAsync("HeartbeatCheck");
        Assert.Equal("HEALTHY", (string?)back["health"]);
        Assert.Contains(early, l => ((string)l!).Contains("self-clearing needs 00:01:00", StringComparison.Ordinal));
        Assert.Equal("ARMED_SAFE", await s.ModeAsync());

        s.Time.Advance(TimeSpan.FromSeconds(61));
        await s.WriteHeartbeatAsync(TimeSpan.Zero, TimeSpan.Zero);
        var (_, cleared) = await s.RunAsync("HeartbeatCheck");
        Assert.Contains(cleared, l => ((string)l!).StartsWith("clear WS_HEARTBEAT_LOST: applied (now ARMED_LIVE", StringComparison.Ordinal));
        Assert.Equal("ARMED_LIVE", await s.ModeAsync());
        Assert.Empty(await s.ConditionsAsync());
    }

    [Theory]
    [InlineData(true, "no venue data message for 40 s while subscribed")]
    [InlineData(false, "no connection: the keeper has had no venue data for 40 s")]
    public async Task A_silent_subscription_and_a_lost_connection_each_say_which(bool connected, string expected)
    {
        await using var s = await CheckScenario.StartAsync(azurite.ConnectionString);
        await s.WriteHeartbeatAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(40), connected);
        var (result, ledger) = await s.RunAsync("HeartbeatCheck");
        Assert.StartsWith(expected, (string?)result["summary"], StringComparison.Ordinal);
        // The service starts ARMED_SAFE: the condition joins without a mode change, and history still records it.
        Assert.Contains(ledger, l => ((string)l!).StartsWith("raise WS_HEARTBEAT_LOST: applied (now ARMED_SAFE", StringComparison.Ordinal));
        Assert.Equal("WS_HEARTBEAT_LOST", (string?)(await s.App.HistoryAsync(1))[0]!["reason"]);
    }

    [Fact]
    public async Task A_keeper_on_rest_fallback_is_degraded_not_lost()
    {
        await using var s = await CheckScenario.StartAsync(azurite.ConnectionString);
        await s.WriteHeartbeatAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), connected: false, DataSource.Rest);
        var (result, ledger) = await s.RunAsync("HeartbeatCheck");
        Assert.Equal("DEGRADED", (string?)result["health"]);
        Assert.Empty(ledger);
        Assert.Empty(await s.ConditionsAsync());
        var notice = Assert.Single(result["notices"]!.AsArray());
        Assert.Equal(("rest-fallback", 1), ((string?)notice!["key"], (int)notice["level"]!));
    }
}
