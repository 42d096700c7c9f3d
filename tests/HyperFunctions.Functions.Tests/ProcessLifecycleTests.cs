using HyperFunctions.Storage.Ledger;
using HyperFunctions.Storage.Processes;
using HyperFunctions.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace HyperFunctions.Functions.Tests;

/// <summary>
/// What process starts, deployments and scale-out do to the ledger, through the real app on Azurite:
/// a restart with the same settings changes nothing, a changed setting is one CONFIG_CHANGED row, and
/// every process of the instance is listed under processes.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ProcessLifecycleTests(AzuriteFixture azurite)
{
    private static Dictionary<string, string?> SharedStorage() => new()
    {
        ["Storage:LedgerTable"] = AzuriteFixture.UniqueName("Ledger"),
        ["Storage:ProcessTable"] = AzuriteFixture.UniqueName("Procs"),
        ["Storage:LeaseContainer"] = "leases-" + Guid.NewGuid().ToString("N")[..8], // every setting is in the config hash
    };

    private static Dictionary<string, string?> With(Dictionary<string, string?> settings, string key, string value) =>
        new(settings) { [key] = value };

    [Fact]
    public async Task A_restart_with_the_same_settings_keeps_ARMED_LIVE_and_its_reason_and_writes_no_row()
    {
        var settings = SharedStorage();
        await using (var first = await TestApp.StartAsync(azurite.ConnectionString, settings))
        {
            var (status, _) = await first.SendAsync(HttpMethod.Post, "/api/safety/promote", TestApp.AdminKey, """{"reason":"desk ready"}""");
            Assert.Equal(200, status);
        }

        await using var second = await TestApp.StartAsync(azurite.ConnectionString, settings);
        var (_, json) = await second.SendAsync(HttpMethod.Get, "/api/status", TestApp.FunctionKey);
        Assert.Equal(("ARMED_LIVE", "MANUAL_PROMOTE", 2L), ((string?)json!["safety"]!["mode"], (string?)json["safety"]!["reason"], (long?)json["safety"]!["version"]));
        Assert.Equal(2, (await second.HistoryAsync()).Count);
    }

    [Fact]
    public async Task A_changed_setting_is_one_CONFIG_CHANGED_row_that_lowers_ARMED_LIVE_to_ARMED_SAFE()
    {
        var settings = SharedStorage();
        string oldHash;
        await using (var first = await TestApp.StartAsync(azurite.ConnectionString, settings))
        {
            await first.SendAsync(HttpMethod.Post, "/api/safety/promote", TestApp.AdminKey, """{"reason":"desk ready"}""");
            oldHash = (string)(await first.SendAsync(HttpMethod.Get, "/api/status", TestApp.FunctionKey)).Json!["configHash"]!;
        }

        var changed = With(settings, "Storage:ProbeIntervalSeconds", "7");
        await using (var deployed = await TestApp.StartAsync(azurite.ConnectionString, changed))
        {
            var (_, json) = await deployed.SendAsync(HttpMethod.Get, "/api/status", TestApp.FunctionKey);
            var newHash = (string)json!["configHash"]!;
            Assert.NotEqual(oldHash, newHash);
            Assert.Equal(("ARMED_SAFE", "CONFIG_CHANGED", newHash), ((string?)json["safety"]!["mode"], (string?)json["safety"]!["reason"], (string?)json["safety"]!["configHash"]));
            var history = await deployed.HistoryAsync();
            Assert.Equal(["CONFIG_CHANGED", "MANUAL_PROMOTE", "BOOT"], history.Select(h => (string?)h!["reason"]));
            Assert.Contains($"from {oldHash} to {newHash}", (string?)history[0]!["message"], StringComparison.Ordinal);
        }

        // Another process of the same deployment (scale-out, restart) changes nothing more.
        await using var scaledOut = await TestApp.StartAsync(azurite.ConnectionString, changed);
        Assert.Equal(3, (await scaledOut.HistoryAsync()).Count);
    }

    [Fact]
    public async Task Every_process_of_the_instance_is_listed_and_one_with_other_settings_is_marked()
    {
        var settings = SharedStorage();
        await using var first = await TestApp.StartAsync(azurite.ConnectionString, settings);
        await using var second = await TestApp.StartAsync(azurite.ConnectionString, With(settings, "Storage:ProbeIntervalSeconds", "7"));
        // What the first process's prober does on its next round: read the ledger and the registry.
        await first.App.Services.GetRequiredService<SafetyLedger>().ProbeAsync(CancellationToken.None);
        await first.App.Services.GetRequiredService<ProcessRegistry>().RefreshAsync(TimeSpan.FromMinutes(5), CancellationToken.None);

        var (_, fromFirst) = await first.SendAsync(HttpMethod.Get, "/api/status", TestApp.FunctionKey);
        var processes = fromFirst!["processes"]!["items"]!.AsArray().Select(p => p!.AsObject()).ToList();
        Assert.Equal(2, processes.Count);
        Assert.Equal(2, (int)fromFirst["processes"]!["count"]!);
        var self = Assert.Single(processes, p => (bool)p["self"]!);
        var other = Assert.Single(processes, p => !(bool)p["self"]!);
        Assert.Equal(("self-host", Environment.ProcessId), ((string?)self["hostingMode"], (int)self["pid"]!));
        // The second process deployed other settings: the ledger carries its hash now, so the first is the odd one out.
        Assert.False((bool)self["configMatchesLedger"]!);
        Assert.True((bool)other["configMatchesLedger"]!);
        Assert.Equal((string?)fromFirst["configHash"], (string?)self["configHash"]);
        Assert.NotEqual((string?)self["processId"], (string?)other["processId"]);
        Assert.All(processes, p => Assert.Null(p["stoppedAt"]?.GetValue<DateTimeOffset?>()));
    }

    [Fact]
    public async Task A_clean_stop_is_recorded_on_the_process_row()
    {
        var settings = SharedStorage();
        await using var watcher = await TestApp.StartAsync(azurite.ConnectionString, settings);
        var stopping = await TestApp.StartAsync(azurite.ConnectionString, settings);
        var stoppedId = stopping.App.Services.GetRequiredService<ProcessRegistry>().Self.ProcessId;
        await stopping.DisposeAsync();

        var registry = watcher.App.Services.GetRequiredService<ProcessRegistry>();
        await registry.RefreshAsync(TimeSpan.FromMinutes(5), CancellationToken.None);
        Assert.NotNull(Assert.Single(registry.Seen, p => p.Identity.ProcessId == stoppedId).StoppedAt);
        Assert.Null(Assert.Single(registry.Seen, p => p.Identity.ProcessId == registry.Self.ProcessId).StoppedAt);
    }

    [Fact]
    public async Task Status_never_waits_on_storage_while_a_storage_read_hangs()
    {
        await using var paused = await AzuriteInstance.StartNewAsync();
        // A long storage budget so the history read is certainly still hanging when status answers.
        await using var app = await TestApp.StartAsync(paused.ConnectionString, new Dictionary<string, string?> { ["Storage:OperationTimeoutSeconds"] = "60" });
        await paused.PauseAsync();
        try
        {
            var history = app.SendAsync(HttpMethod.Get, "/api/safety/history", TestApp.FunctionKey);
            var (status, json) = await app.SendAsync(HttpMethod.Get, "/api/status", TestApp.FunctionKey);
            Assert.False(history.IsCompleted, "the history read should still be waiting on the paused storage");
            Assert.Equal(200, status);
            Assert.Equal("ARMED_SAFE", (string?)json!["safety"]!["mode"]);
            Assert.True((bool)json["storage"]!["usable"]!); // nothing has failed yet: the state shown is the one last read
            Assert.NotNull(json["storage"]!["stateAgeSeconds"]?.GetValue<double?>());
            await paused.ResumeAsync();
            Assert.Equal(200, (await history).Status);
        }
        finally
        {
            await paused.ResumeAsync();
        }
    }
}
