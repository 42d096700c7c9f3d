using HyperFunctions.Functions.Functions.Checks;
using HyperFunctions.Functions.Functions;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace HyperFunctions.Functions.Tests;

/// <summary>Owns its Azurite because it takes storage away under the running app.</summary>
public sealed class StorageOutageTests
{
    [Fact]
    public async Task Status_shows_HALT_STORAGE_UNAVAILABLE_during_an_outage_and_recovery_is_recorded_and_automatic()
    {
        await using var azurite = await AzuriteInstance.StartNewAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, services: s => s.AddSingleton<TimeProvider>(time));
        await app.SendAsync(HttpMethod.Post, "/api/safety/promote", TestApp.AdminKey, """{"reason":"live"}""");

        await azurite.StopAsync();
        var check = app.App.Services.GetRequiredService<FunctionCatalog>().Get<ITimerFunction>(nameof(StorageHealthCheck));
        Assert.StartsWith("unhealthy", await check.RunAsync(new TimerInvocation(time.GetUtcNow(), false), CancellationToken.None), StringComparison.Ordinal);
        time.Advance(TimeSpan.FromSeconds(3));
        var (status, json) = await app.SendAsync(HttpMethod.Get, "/api/status", TestApp.FunctionKey);
        Assert.Equal(200, status);
        Assert.Equal(("HALT", "STORAGE_UNAVAILABLE"), ((string?)json!["safety"]!["mode"], (string?)json["safety"]!["reason"]));
        Assert.False((bool)json["storage"]!["usable"]!);
        Assert.Equal(time.GetUtcNow().AddSeconds(-3), (DateTimeOffset)json["storage"]!["unusableSince"]!);
        Assert.Equal(3.0, (double)json["storage"]!["stateAgeSeconds"]!); // the state shown is the one last read, 3 s ago
        Assert.Equal(503, (await app.SendAsync(HttpMethod.Get, "/api/safety/history", TestApp.FunctionKey)).Status); // fails fast while held
        Assert.False((bool)json["safety"]!["orderGate"]!["newOrders"]!);
        Assert.False((bool)json["safety"]!["orderGate"]!["reduceOnlyOrders"]!);
        Assert.Equal(503, (await app.SendAsync(HttpMethod.Post, "/api/safety/promote", TestApp.AdminKey, """{"reason":"x"}""")).Status);

        await azurite.StartAsync();
        var first = await check.RunAsync(new TimerInvocation(time.GetUtcNow(), false), CancellationToken.None);
        Assert.Contains("STORAGE_UNAVAILABLE", first, StringComparison.Ordinal); // recorded, not yet healthy long enough
        var history = await app.HistoryAsync();
        Assert.Equal(("ARMED_LIVE", "HALT", "STORAGE_UNAVAILABLE"), ((string?)history[0]!["from"], (string?)history[0]!["to"], (string?)history[0]!["reason"]));

        time.Advance(TimeSpan.FromSeconds(31)); // Safety:AutoRecoverFromHalt STORAGE_UNAVAILABLE = 30 s by default
        await check.RunAsync(new TimerInvocation(time.GetUtcNow(), false), CancellationToken.None);
        (_, json) = await app.SendAsync(HttpMethod.Get, "/api/status", TestApp.FunctionKey);
        Assert.Equal("ARMED_SAFE", (string?)json!["safety"]!["mode"]); // lifted to SAFE, never back to LIVE by itself
        Assert.Equal(4, (await app.HistoryAsync()).Count);
    }
}
