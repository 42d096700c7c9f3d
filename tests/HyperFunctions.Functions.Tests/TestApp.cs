using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HyperFunctions.Functions;
using HyperFunctions.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HyperFunctions.Functions.Tests;

[CollectionDefinition(AzuriteCollection.Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}

/// <summary>The real function app (real Azurite storage) on an in-memory test server.</summary>
internal sealed class TestApp : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key-0123456789";
    public const string FunctionKey = "test-function-key-0123456789";

    private TestApp(WebApplication app, HttpClient client, Uri? address = null)
    {
        App = app;
        Client = client;
        Address = address;
    }

    public WebApplication App { get; }
    public HttpClient Client { get; }

    /// <summary>The app's base URL on loopback when started with a real port (null on the in-memory test server).</summary>
    public Uri? Address { get; }

    /// <param name="realPort">Serve on a free loopback port (Kestrel, real sockets) instead of the in-memory test server, e.g. for a client process such as the hf CLI.</param>
    public static async Task<TestApp> StartAsync(
        string connectionString,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null,
        bool realPort = false)
    {
        var app = await BuildAsync(connectionString, settings, services, realPort);
        await app.StartAsync();
        if (!realPort) return new TestApp(app, app.GetTestClient());
        var address = new Uri(app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First());
        return new TestApp(app, new HttpClient { BaseAddress = address }, address);
    }

    /// <summary>A started app built elsewhere (e.g. from exactly its own settings), with a test client.</summary>
    public static TestApp Wrap(WebApplication app) => new(app, app.GetTestClient());

    /// <summary>The app built as <see cref="StartAsync"/> builds it, not yet started.</summary>
    public static async Task<WebApplication> BuildAsync(
        string connectionString,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null,
        bool realPort = false)
    {
        var values = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = connectionString,
            ["Storage:LedgerTable"] = AzuriteFixture.UniqueName("Ledger"),
            ["Storage:LeaseContainer"] = "leases-" + Guid.NewGuid().ToString("N")[..8],
            ["Api:AdminKey"] = AdminKey,
            ["Api:FunctionKey"] = FunctionKey,
            ["Hosting:RunTimers"] = "false",
            ["Hosting:RunQueues"] = "false",
            ["Hosting:RunKeeper"] = "false",
            ["ServiceHealth:Enabled"] = "false", // the shipped file's probes aim at the local run's ports
            // The shipped settings route every alert level to the local run's simulator inbox; tests that want alerts configure their own.
            ["Alerts:Channels:0:Enabled"] = "false",
        };
        foreach (var kv in settings ?? new Dictionary<string, string?>()) values[kv.Key] = kv.Value;
        return await HyperFunctionsApp.BuildAsync([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(values);
            if (realPort) builder.WebHost.UseUrls("http://127.0.0.1:0");
            else builder.WebHost.UseTestServer();
            services?.Invoke(builder.Services);
        });
    }

    public HttpRequestMessage Request(HttpMethod method, string url, string? key, string? body = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (key is not null) request.Headers.Add("x-functions-key", key);
        if (body is not null) request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        return request;
    }

    public async Task<(int Status, JsonObject? Json)> SendAsync(HttpMethod method, string url, string? key, string? body = null)
    {
        using var response = await Client.SendAsync(Request(method, url, key, body));
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) as JsonObject : null);
    }

    /// <summary>GET /metrics (Prometheus text); asserts 200.</summary>
    public async Task<string> MetricsAsync()
    {
        using var response = await Client.SendAsync(Request(HttpMethod.Get, "/metrics", FunctionKey));
        Assert.Equal(200, (int)response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    public async Task<JsonArray> HistoryAsync(int limit = 500)
    {
        var (status, json) = await SendAsync(HttpMethod.Get, $"/api/safety/history?limit={limit}", FunctionKey);
        Assert.Equal(200, status);
        return json!["items"]!.AsArray();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
