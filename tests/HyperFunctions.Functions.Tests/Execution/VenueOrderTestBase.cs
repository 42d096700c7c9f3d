using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace HyperFunctions.Functions.Tests.Execution;

/// <summary>
/// What the cancel and resting-refresh tests share on top of <see cref="ExecutionTestBase"/>: placing and delivering
/// intents, reading them back, and asking the simulator itself (openOrders, orderStatus) over its socket.
/// </summary>
public abstract class VenueOrderTestBase(AzuriteFixture azurite, int seed) : ExecutionTestBase(azurite, seed)
{
    private protected static async Task PromoteAsync(TestApp app) =>
        Assert.Equal(200, (await app.SendAsync(HttpMethod.Post, "/api/safety/promote", TestApp.AdminKey, """{"reason":"execution test"}""")).Status);

    /// <summary>POST /api/orders with the body; returns the cloid (asserts the 202).</summary>
    private protected static async Task<string> PostOrderAsync(TestApp app, string body)
    {
        var (status, json) = await app.SendAsync(HttpMethod.Post, "/api/orders", TestApp.AdminKey, body);
        Assert.True(status == 202, json?.ToJsonString());
        return (string)json!["cloid"]!;
    }

    /// <summary>Runs ExecuteOrderIntent for every message on the queue, as the listener would, and deletes them; returns the summaries.</summary>
    private protected async Task<List<string>> DeliverAllAsync(TestApp app)
    {
        var function = app.App.Services.GetRequiredService<FunctionCatalog>().Get<IQueueFunction>("ExecuteOrderIntent");
        var summaries = new List<string>();
        foreach (var m in (await Queue.ReceiveMessagesAsync(32)).Value)
        {
            summaries.Add(await function.RunAsync(new QueueInvocation(m.MessageId, m.Body.ToString(), m.DequeueCount, m.InsertedOn), CancellationToken.None));
            await Queue.DeleteMessageAsync(m.MessageId, m.PopReceipt);
        }
        return summaries;
    }

    /// <summary>GET /api/orders/{cloid} (asserts the 200).</summary>
    private protected static async Task<JsonObject> OrderAsync(TestApp app, string cloid)
    {
        var (status, json) = await app.SendAsync(HttpMethod.Get, $"/api/orders/{cloid}", TestApp.FunctionKey);
        Assert.Equal(200, status);
        return json!;
    }

    private protected static string[] Changes(JsonObject order) => order["changes"]!.AsArray().Select(c => (string)c!["status"]!).ToArray();

    /// <summary>The venue's own answer to info <paramref name="body"/> for the simulator, over its socket.</summary>
    private protected async Task<JsonNode> InfoAsync(string body)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(Sim.RestUrl, "info"), new StringContent(body, Encoding.UTF8, "application/json"));
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!;
    }

    private protected async Task<JsonArray> OpenOrdersAtVenueAsync() => (await InfoAsync($$"""{"type":"openOrders","user":"{{Dev}}"}""")).AsArray();

    /// <summary>The venue's orderStatus text for the cloid (null when it answers unknownOid).</summary>
    private protected async Task<string?> VenueStatusAsync(string cloid) =>
        (string?)(await InfoAsync($$"""{"type":"orderStatus","user":"{{Dev}}","oid":"{{cloid}}"}"""))["order"]?["status"];

}
