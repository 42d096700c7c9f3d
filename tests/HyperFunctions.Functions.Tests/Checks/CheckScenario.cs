using System.Text.Json.Nodes;
using HyperFunctions.Domain.Streaming;
using HyperFunctions.Simulator;
using HyperFunctions.Storage.Streaming;
using HyperFunctions.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace HyperFunctions.Functions.Tests.Checks;

/// <summary>
/// The real function app on Azurite, pointed at a simulator on the same driven clock, with the keeper's
/// tables written by the test as the keeper would write them (the checks read storage, whoever wrote it).
/// Checks run through POST /api/checks/{name}/run, the same runner and publisher the timers use.
/// </summary>
internal sealed class CheckScenario : IAsyncDisposable
{
    public static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private CheckScenario(DrivenTime time, HyperliquidSimulator sim, TestApp app, StreamFactsStore facts)
    {
        Time = time;
        Sim = sim;
        App = app;
        Facts = facts;
    }

    public DrivenTime Time { get; }
    public HyperliquidSimulator Sim { get; }
    public TestApp App { get; }
    public StreamFactsStore Facts { get; }
    public DateTimeOffset Now => Time.GetUtcNow();

    public static async Task<CheckScenario> StartAsync(string connectionString, IDictionary<string, string?>? extra = null)
    {
        var time = new DrivenTime(new DateTimeOffset(2025, 6, 2, 12, 0, 0, TimeSpan.Zero));
        var sim = await HyperliquidSimulator.StartAsync(new SimulatorOptions { TimeProvider = time, Seed = 11 });
        var prefix = AzuriteFixture.UniqueName("K");
        var settings = new Dictionary<string, string?>
        {
            ["Hyperliquid:RestUrl"] = sim.RestUrl.ToString(),
            ["Hyperliquid:WsUrl"] = sim.WsUrl.ToString(),
            ["Hyperliquid:Rest:MaxRetryAttempts"] = "0", // a failing venue fails at once: no retry waits on the driven clock
            ["Keeper:TablePrefix"] = prefix,
            ["Checks:ResultsTable"] = AzuriteFixture.UniqueName("Checks"),
        };
        foreach (var kv in extra ?? new Dictionary<string, string?>()) settings[kv.Key] = kv.Value;
        var app = await TestApp.StartAsync(connectionString, settings, s => s.AddSingleton<TimeProvider>(time));
        var facts = app.App.Services.GetRequiredService<StreamFactsStore>();
        await facts.EnsureTablesAsync(CancellationToken.None);
        return new CheckScenario(time, sim, app, facts);
    }

    /// <summary>A heartbeat row as a keeper writes it, <paramref name="dataAge"/> after its last data message.</summary>
    public Task WriteHeartbeatAsync(TimeSpan writtenAgo, TimeSpan? dataAge, bool connected = true, DataSource source = DataSource.WebSocket) =>
        Facts.WriteHeartbeatAsync(new KeeperHeartbeat(Now - writtenAgo, connected, source, Now, 0, 1, connected ? 0 : 3, connected ? null : "ConnectionLost",
            Now.AddMinutes(-30), "keeper-test", 100, 0, dataAge is { } d ? Now - d : null), CancellationToken.None);

    /// <summary>Market rows for BTC and ETH with the given book and funding ages.</summary>
    public Task WriteMarketsAsync(TimeSpan bookAge, TimeSpan fundingAge, TimeSpan? ethBookAge = null) =>
        Facts.WriteMarketsAsync(
        [
            Market("BTC", Now - bookAge, Now - fundingAge),
            Market("ETH", Now - (ethBookAge ?? bookAge), Now - fundingAge),
        ], CancellationToken.None);

    private static MarketFact Market(string coin, DateTimeOffset bookAt, DateTimeOffset fundingAt) =>
        new(coin, 100, 99, 101, bookAt, 10, 10, 5, 5, 0.0001m, 100, 100, fundingAt, DataSource.WebSocket);

    /// <summary>Runs a check as an operator would (admin key); returns the result and the ledger lines.</summary>
    public async Task<(JsonObject Result, JsonArray Ledger)> RunAsync(string check)
    {
        var (status, json) = await App.SendAsync(HttpMethod.Post, $"/api/checks/{check}/run", TestApp.AdminKey).WaitAsync(HangGuard);
        Assert.True(status == 200, $"run {check}: {status} {json?.ToJsonString()}");
        return (json!["result"]!.AsObject(), json["ledger"]!.AsArray());
    }

    public async Task<JsonObject> StatusAsync()
    {
        var (status, json) = await App.SendAsync(HttpMethod.Get, "/api/status", TestApp.FunctionKey);
        Assert.Equal(200, status);
        return json!;
    }

    public async Task<string[]> ConditionsAsync() =>
        [.. (await StatusAsync())["safety"]!["conditions"]!.AsArray().Select(c => (string)c!["reason"]!)];

    public async Task<string> ModeAsync() => (string)(await StatusAsync())["safety"]!["mode"]!;

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Sim.DisposeAsync();
    }
}
