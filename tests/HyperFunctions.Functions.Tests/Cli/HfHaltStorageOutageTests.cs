using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using HyperFunctions.Cli;
using HyperFunctions.Functions.Execution;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Simulator;
using HyperFunctions.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace HyperFunctions.Functions.Tests.Cli;

/// <summary>
/// <c>hf halt --cancel-all</c> while storage is down: the API's kill switch still cancels at the venue and answers
/// 503 <c>unavailable</c> (nothing in the ledger). Owns its Azurite because it takes storage away under the running app.
/// </summary>
public sealed class HfHaltStorageOutageTests
{
    [Fact]
    public async Task With_storage_down_the_kill_switch_still_cancels_hf_prints_it_and_exits_3_because_the_HALT_is_not_recorded()
    {
        await using var azurite = await AzuriteInstance.StartNewAsync();
        await using var sim = await HyperliquidSimulator.StartAsync(new SimulatorOptions { Seed = 17 });
        var dev = SimulatorAccount.Dev.Address.ToLowerInvariant();
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["Hyperliquid:RestUrl"] = sim.RestUrl.ToString(),
            ["Hyperliquid:WsUrl"] = sim.WsUrl.ToString(),
            ["Hyperliquid:PrivateKey"] = SimulatorAccount.DevPrivateKey,
            ["Hyperliquid:AccountAddress"] = dev,
        }, realPort: true);

        // One order resting at the venue, placed through the API and the executor.
        Assert.Equal(200, (await app.SendAsync(HttpMethod.Post, "/api/safety/promote", TestApp.AdminKey, """{"reason":"outage test"}""")).Status);
        var (placed, json) = await app.SendAsync(HttpMethod.Post, "/api/orders", TestApp.AdminKey,
            """{"coin":"BTC","side":"buy","size":"0.02","type":"limit","limitPrice":"1000","tif":"Gtc"}""");
        Assert.True(placed == 202, json?.ToJsonString());
        var cloid = (string)json!["cloid"]!;
        var queue = new QueueClient(azurite.ConnectionString, OrderIntentMessage.QueueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var function = app.App.Services.GetRequiredService<FunctionCatalog>().Get<IQueueFunction>("ExecuteOrderIntent");
        foreach (var m in (await queue.ReceiveMessagesAsync(32)).Value)
        {
            await function.RunAsync(new QueueInvocation(m.MessageId, m.Body.ToString(), m.DequeueCount, m.InsertedOn), CancellationToken.None);
            await queue.DeleteMessageAsync(m.MessageId, m.PopReceipt);
        }
        Assert.Single(await OpenOrdersAsync(sim, dev));

        await azurite.StopAsync();
        var run = await HfRun.RunAsync(new() { ["HF_ADMIN_KEY"] = TestApp.AdminKey, ["HF_API_URL"] = app.Address!.ToString() },
            "halt", "--reason", "storage is down, stop anyway", "--cancel-all");

        Assert.True(run.ExitCode == ExitCodes.ApiFailure, run.ToString());
        // What the kill switch did at the venue is printed even so.
        Assert.Matches(@"^HALT [A-Z_]+: unavailable\n", run.Output.ReplaceLineEndings("\n"));
        Assert.Contains("Nothing was written to the ledger", run.Output, StringComparison.Ordinal);
        Assert.Matches($@"cloid {cloid}\s+cancelled", run.Output);
        Assert.Contains("scheduleCancel: armed for ", run.Output, StringComparison.Ordinal);
        Assert.Contains("HTTP 503: the safety ledger was unavailable and nothing was written", run.Error, StringComparison.Ordinal);
        Assert.Contains("Only the process that answered holds a HALT", run.Error, StringComparison.Ordinal);
        Assert.Empty(await OpenOrdersAsync(sim, dev));
    }

    private static async Task<JsonArray> OpenOrdersAsync(HyperliquidSimulator sim, string user)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(sim.RestUrl, "info"), new StringContent($$"""{"type":"openOrders","user":"{{user}}"}""", Encoding.UTF8, "application/json"));
        return (await response.Content.ReadFromJsonAsync<JsonArray>())!;
    }
}
