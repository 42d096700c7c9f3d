using System.Text.Json.Nodes;
using HyperFunctions.Simulator;
using HyperFunctions.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace HyperFunctions.Functions.Tests;

/// <summary>
/// Hosting:RunKeeper: the function app runs the stream keeper in-process against the simulator, and
/// GET /api/status shows its stream and markets sections from memory, with times that advance.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StreamStatusTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Status_shows_stream_and_markets_from_the_in_process_keeper_and_they_advance()
    {
        await using var sim = await HyperliquidSimulator.StartAsync(new SimulatorOptions { MarketTickInterval = TimeSpan.FromMilliseconds(200) });
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["Hosting:RunKeeper"] = "true",
            ["Hyperliquid:RestUrl"] = sim.RestUrl.ToString(),
            ["Hyperliquid:WsUrl"] = sim.WsUrl.ToString(),
            ["Keeper:TablePrefix"] = AzuriteFixture.UniqueName("K"),
        });

        var first = await PollStatusAsync(app, s =>
            s["stream"]?["connected"]?.GetValue<bool>() == true
            && s["stream"]?["leader"] is not null
            && s["markets"]?["BTC"]?["bookAt"] is not null && s["markets"]?["ETH"]?["fundingAt"] is not null);
        var stream = first["stream"]!;
        Assert.Equal("in-process", (string?)stream["from"]);
        Assert.Equal("websocket", (string?)stream["source"]);
        Assert.NotNull(stream["ageSeconds"]);
        Assert.NotNull(stream["reconnects"]);
        var btc = first["markets"]!["BTC"]!;
        Assert.NotNull(btc["bookAgeSeconds"]);
        Assert.NotNull(btc["fundingAgeSeconds"]);
        var lastMessage = (DateTimeOffset)stream["lastMessageAt"]!;
        var bookAt = (DateTimeOffset)btc["bookAt"]!;

        // Times advance as the simulator's market moves (waiting on the condition, not on a clock).
        await PollStatusAsync(app, s =>
            (DateTimeOffset)s["stream"]!["lastMessageAt"]! > lastMessage
            && (DateTimeOffset)s["markets"]!["BTC"]!["bookAt"]! > bookAt);
    }

    [Fact]
    public async Task Without_a_keeper_the_sections_say_none_and_status_still_answers()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, new Dictionary<string, string?> { ["Keeper:TablePrefix"] = AzuriteFixture.UniqueName("K") });
        var (status, json) = await app.SendAsync(HttpMethod.Get, "/api/status", TestApp.FunctionKey);
        Assert.Equal(200, status);
        Assert.Equal("none", (string?)json!["stream"]!["from"]);
        Assert.Empty(json["markets"]!.AsObject());
    }

    private static async Task<JsonObject> PollStatusAsync(TestApp app, Func<JsonObject, bool> condition)
    {
        using var guard = new CancellationTokenSource(HangGuard);
        JsonObject? last = null;
        while (!guard.IsCancellationRequested)
        {
            var (status, json) = await app.SendAsync(HttpMethod.Get, "/api/status", TestApp.FunctionKey);
            Assert.Equal(200, status);
            last = json!;
            if (condition(last)) return last;
            var keeper = app.App.Services.GetService<HyperFunctions.Streaming.StreamKeeper>();
            if (keeper is null) await Task.Yield();
            else await keeper.NextChangeAsync(guard.Token); // status answers from the keeper's memory: look again when it changed
        }
        Assert.Fail($"status never met the condition; last: {last?.ToJsonString()}");
        return null!;
    }
}
