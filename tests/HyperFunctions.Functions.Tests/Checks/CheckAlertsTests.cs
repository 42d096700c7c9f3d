using HyperFunctions.Functions.Functions.Alerts;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Functions.Tests.Alerts;
using HyperFunctions.Storage;
using HyperFunctions.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace HyperFunctions.Functions.Tests.Checks;

/// <summary>A check's verdict reaches a real receiver through the one alert pipeline, at the condition's level, and so does its recovery.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CheckAlertsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_lost_heartbeat_alerts_operations_once_and_its_recovery_resolves_it()
    {
        await using var receiver = await HttpAlertReceiver.StartAsync();
        await using var s = await CheckScenario.StartAsync(azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["Alerts:Table"] = AzuriteFixture.UniqueName("Alerts"),
            ["Alerts:Channels:0:Name"] = "ops-hook",
            ["Alerts:Channels:0:Kind"] = "webhook",
            ["Alerts:Channels:0:Url"] = receiver.Url("/ops"),
            ["Alerts:Channels:0:Enabled"] = "true",
            ["Alerts:Routes:1:0"] = "ops-hook",
            ["Alerts:Routes:2:0"] = "ops-hook",
            ["Alerts:Routes:3:0"] = "ops-hook",
            ["Alerts:Routes:4:0"] = "ops-hook",
        });

        s.Time.Advance(TimeSpan.FromSeconds(1)); // no heartbeat row at all: the keeper is dead
        await s.RunAsync("HeartbeatCheck");
        await s.RunAsync("HeartbeatCheck"); // still lost: de-duplicated, nothing more is sent
        await DrainAsync(s.App);
        var trigger = Assert.Single(await receiver.WaitForAsync("/ops", 1, CheckScenario.HangGuard)).Body;
        Assert.Equal(("check:HeartbeatCheck:WS_HEARTBEAT_LOST", 2, "triggered", "HeartbeatCheck"),
            ((string?)trigger["key"], (int)trigger["level"]!, (string?)trigger["status"], (string?)trigger["source"]));
        Assert.Contains("keeper dead", (string?)trigger["detail"], StringComparison.Ordinal);
        var (_, open) = await s.App.SendAsync(HttpMethod.Get, "/api/alerts", TestApp.FunctionKey);
        Assert.Equal("check:HeartbeatCheck:WS_HEARTBEAT_LOST", (string?)Assert.Single(open!["open"]!.AsArray())!["key"]);

        await s.WriteHeartbeatAsync(TimeSpan.Zero, TimeSpan.Zero);
        await s.RunAsync("HeartbeatCheck");
        await DrainAsync(s.App);
        var posts = await receiver.WaitForAsync("/ops", 2, CheckScenario.HangGuard);
        Assert.Equal(2, posts.Count);
        Assert.Equal(("check:HeartbeatCheck:WS_HEARTBEAT_LOST", "resolved"), ((string?)posts[1].Body["key"], (string?)posts[1].Body["status"]));
        var (_, after) = await s.App.SendAsync(HttpMethod.Get, "/api/alerts", TestApp.FunctionKey);
        Assert.Empty(after!["open"]!.AsArray());
    }

    /// <summary>Delivers what is on the deliveries queue now, as the self-host queue listener would.</summary>
    private static async Task DrainAsync(TestApp app)
    {
        var services = app.App.Services;
        var catalog = services.GetRequiredService<FunctionCatalog>();
        var definition = catalog.Find(nameof(DeliverAlert))!;
        var listener = ActivatorUtilities.CreateInstance<QueueListener>(services);
        var storage = services.GetRequiredService<StorageClients>();
        var queue = storage.Queues.GetQueueClient(definition.QueueName);
        var poison = storage.Queues.GetQueueClient(definition.QueueName + "-poison");
        await queue.CreateIfNotExistsAsync();
        foreach (var m in (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1))).Value)
            await listener.HandleAsync(definition, catalog.Get<IQueueFunction>(definition.Name), queue, poison, m, CancellationToken.None);
    }
}
