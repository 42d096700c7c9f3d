using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HyperFunctions.Functions;
using HyperFunctions.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HyperFunctions.Telemetry.Tests.Support;

[CollectionDefinition(Name)]
public sealed class TelemetryCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Telemetry";
}

/// <summary>
/// The real function app on real Azurite, either on an in-memory test server or on Kestrel at a free
/// loopback port (Prometheus and other processes need a real socket to scrape).
/// </summary>
internal sealed class TelemetryTestApp : IAsyncDisposable
{
    public const string AdminKey = "telemetry-admin-key-0123456789";
    public const string FunctionKey = "telemetry-function-key-0123456789";

    private TelemetryTestApp(WebApplication app, HttpClient client, IServiceCollection services)
    {
        App = app;
        Client = client;
        Services = services;
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    /// <summary>The registrations the app was built with (to check what is and is not registered).</summary>
    public IServiceCollection Services { get; }

    /// <summary>Host and port Kestrel listens on (only with <c>realPort</c>).</summary>
    public Uri? Address { get; private set; }

    public static async Task<TelemetryTestApp> StartAsync(
        string connectionString, bool realPort = false, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
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
            // These tests drive the venue client themselves; an in-process keeper would make venue calls of its
            // own (its start-up backfill could take a fault meant for the test's request) against a default port.
            ["Hosting:RunKeeper"] = "false",
        };
        foreach (var kv in settings ?? new Dictionary<string, string?>()) values[kv.Key] = kv.Value;
        IServiceCollection? registered = null;
        var app = await HyperFunctionsApp.BuildAsync([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(values);
            if (realPort) builder.WebHost.UseUrls("http://127.0.0.1:0");
            else builder.WebHost.UseTestServer();
            services?.Invoke(builder.Services);
            registered = builder.Services;
        });
        await app.StartAsync();
        if (!realPort) return new TelemetryTestApp(app, app.GetTestClient(), registered!);

        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        return new TelemetryTestApp(app, new HttpClient { BaseAddress = address }, registered!) { Address = address };
    }

    public async Task<string> ScrapeAsync()
    {
        using var response = await Client.GetAsync(new Uri("/metrics?code=" + FunctionKey, UriKind.Relative));
        Assert.Equal(200, (int)response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    public async Task<JsonObject> PromoteAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/safety/promote") { Content = JsonContent.Create(new { reason = "telemetry test" }) };
        request.Headers.Add("x-functions-key", AdminKey);
        using var response = await Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!.AsObject();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
