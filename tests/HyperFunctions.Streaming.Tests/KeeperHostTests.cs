using System.Net;
using System.Text.Json.Nodes;
using HyperFunctions.Keeper;
using HyperFunctions.Storage.Processes;
using HyperFunctions.Streaming.Tests.Support;
using HyperFunctions.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HyperFunctions.Streaming.Tests;

/// <summary>The standalone keeper host: /health, /ready, /status and /metrics, with the real loop running.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class KeeperHostTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task The_host_answers_health_ready_status_and_metrics()
    {
        await using var sim = await Simulator.HyperliquidSimulator.StartAsync(new Simulator.SimulatorOptions { MarketTickInterval = TimeSpan.FromMilliseconds(200) });
        var settings = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:LedgerTable"] = AzuriteFixture.UniqueName("Ledger"),
            ["Storage:LeaseContainer"] = "leases-" + Guid.NewGuid().ToString("N")[..8],
            ["Hyperliquid:RestUrl"] = sim.RestUrl.ToString(),
            ["Hyperliquid:WsUrl"] = sim.WsUrl.ToString(),
            ["Keeper:TablePrefix"] = AzuriteFixture.UniqueName("K"),
            ["Storage:ProcessTable"] = AzuriteFixture.UniqueName("Processes"),
        };
        await using var app = await KeeperApp.BuildAsync([], b =>
        {
            b.Configuration.AddInMemoryCollection(settings);
            b.WebHost.UseTestServer();
        });
        await app.StartAsync();
        using var client = app.GetTestClient();
        var keeper = app.Services.GetRequiredService<StreamKeeper>();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        await KeeperScenario.WaitAsync(keeper, s => s.Ready && s.IsLeader && s.HeartbeatWrittenAt is not null && s.Markets.Count == 2, "ready, leading and writing");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/ready")).StatusCode);

        var status = JsonNode.Parse(await client.GetStringAsync("/status"))!;
        Assert.Equal("websocket", (string?)status["source"]); // the wire name, as in the heartbeat row and GET /api/status
        Assert.All(status["markets"]!.AsArray(), m => Assert.Equal("websocket", (string?)m!["source"]));
        Assert.True((bool)status["isLeader"]!);
        Assert.Equal(2, status["markets"]!.AsArray().Count);

        var metrics = await client.GetStringAsync("/metrics");
        foreach (var name in new[] { "hf_keeper_leader", "hf_keeper_may_lead", "hf_keeper_ready", "hf_keeper_data_source", "hf_keeper_heartbeat_age_seconds",
                     "hf_keeper_book_age_max_seconds", "hf_keeper_funding_age_max_seconds", "hf_keeper_storage_writes_total",
                     "hf_keeper_fills_written_total", "hf_keeper_bad_inputs_total", "hf_ws_connected" })
        {
            Assert.Contains(name, metrics, StringComparison.Ordinal);
        }
        Assert.Contains("hf_keeper_data_source{otel_scope_name=\"HyperFunctions\",source=\"websocket\"} 1", metrics, StringComparison.Ordinal);

        // The container registers in the process table as the function app's processes do (GET /api/status lists it),
        // and a clean stop marks its row stopped.
        var registry = app.Services.GetRequiredService<ProcessRegistry>();
        var self = Assert.Single(registry.Seen, p => p.Identity.ProcessId == registry.Self.ProcessId);
        Assert.Equal((KeeperApp.HostingMode, "primary", null), (self.Identity.HostingMode, self.Identity.Site, self.StoppedAt)); // the shipped settings file's site
        await app.StopAsync();
        var table = new Azure.Data.Tables.TableClient(azurite.ConnectionString, settings["Storage:ProcessTable"]);
        var row = (await table.GetEntityAsync<Azure.Data.Tables.TableEntity>("default", registry.Self.ProcessId)).Value;
        Assert.Equal(KeeperApp.HostingMode, row.GetString("HostingMode"));
        Assert.NotNull(row.GetDateTimeOffset("StoppedAt"));
    }
}
