using System.Net;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using HyperFunctions.Functions.Execution;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Simulator;
using HyperFunctions.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HyperFunctions.Functions.Tests.Failover;

/// <summary>
/// Apps of one instance sharing one Azurite (same ledger, failover, order and alert tables) and the simulator,
/// each with its own Failover:Site; built from exactly these settings (the settings file is left out).
/// </summary>
internal sealed class FailoverRig(string connectionString, HyperliquidSimulator sim)
{
    private readonly Dictionary<string, string?> _shared = new()
    {
        ["Storage:ConnectionString"] = connectionString,
        ["Storage:LedgerTable"] = AzuriteFixture.UniqueName("Ledger"),
        ["Storage:LeaseContainer"] = "leases-" + Guid.NewGuid().ToString("N")[..8],
        ["Storage:ProcessTable"] = AzuriteFixture.UniqueName("Proc"),
        ["Checks:ResultsTable"] = AzuriteFixture.UniqueName("Checks"),
        ["Alerts:Table"] = AzuriteFixture.UniqueName("Alerts"),
        ["Execution:Table"] = AzuriteFixture.UniqueName("Orders"),
        ["Reconciliation:Table"] = AzuriteFixture.UniqueName("Recon"),
        ["Failover:Table"] = AzuriteFixture.UniqueName("Failover"),
        ["Failover:Sites:0:Name"] = "primary",
        ["Failover:Sites:1:Name"] = "backup",
        ["Failover:ActiveSiteCacheSeconds"] = "0",
        ["Api:AdminKey"] = TestApp.AdminKey,
        ["Api:FunctionKey"] = TestApp.FunctionKey,
        ["Hosting:RunTimers"] = "false",
        ["Hosting:RunQueues"] = "false",
        ["Hosting:RunKeeper"] = "false",
        ["ServiceHealth:Enabled"] = "false",
        ["Hyperliquid:Network"] = "Simulator",
        ["Hyperliquid:RestUrl"] = sim.RestUrl.ToString(),
        ["Hyperliquid:WsUrl"] = sim.WsUrl.ToString(),
        ["Hyperliquid:PrivateKey"] = SimulatorAccount.DevPrivateKey,
        ["Hyperliquid:AccountAddress"] = SimulatorAccount.Dev.Address.ToLowerInvariant(),
    };

    public string FailoverTable => _shared["Failover:Table"]!;

    /// <summary>Sets the hook list (each a (name, kind, extra settings) triple) for every app started after.</summary>
    public FailoverRig Hooks(params (string Name, string Kind, Dictionary<string, string>? Extra)[] hooks)
    {
        foreach (var key in _shared.Keys.Where(k => k.StartsWith("Failover:Hooks:", StringComparison.Ordinal)).ToList()) _shared.Remove(key);
        for (var i = 0; i < hooks.Length; i++)
        {
            _shared[$"Failover:Hooks:{i}:Name"] = hooks[i].Name;
            _shared[$"Failover:Hooks:{i}:Kind"] = hooks[i].Kind;
            foreach (var (k, v) in hooks[i].Extra ?? []) _shared[$"Failover:Hooks:{i}:{k}"] = v;
        }
        return this;
    }

    public FailoverRig Set(string key, string? value)
    {
        _shared[key] = value;
        return this;
    }

    public async Task<TestApp> StartAsync(string site, TimeProvider? time = null, Dictionary<string, string?>? extra = null)
    {
        var values = new Dictionary<string, string?>(_shared) { ["Failover:Site"] = site };
        foreach (var kv in extra ?? []) values[kv.Key] = kv.Value;
        var app = await HyperFunctionsApp.BuildAsync([], builder =>
        {
            builder.Configuration.Sources.Clear();
            builder.Configuration.AddInMemoryCollection(values);
            builder.WebHost.UseTestServer();
            if (time is not null) builder.Services.AddSingleton(time);
        });
        await app.StartAsync();
        return TestApp.Wrap(app);
    }

    /// <summary>ARMED_SAFE → ARMED_LIVE (the instance's ledger is shared by every app of the rig).</summary>
    public static async Task PromoteAsync(TestApp app) =>
        Assert.Equal(200, (await app.SendAsync(HttpMethod.Post, "/api/safety/promote", TestApp.AdminKey, """{"reason":"test"}""")).Status);

    public static async Task<string> PostOrderAsync(TestApp app)
    {
        var (status, json) = await app.SendAsync(HttpMethod.Post, "/api/orders", TestApp.AdminKey, """{"coin":"BTC","side":"buy","size":"0.001","type":"market","slippage":0.05}""");
        Assert.True(status == 202, $"POST /api/orders answered {status}: {json}");
        return (string)json!["cloid"]!;
    }

    /// <summary>Runs every queued order intent through <paramref name="app"/>'s ExecuteOrderIntent (as its queue listener would).</summary>
    public static async Task<List<string>> DeliverAllAsync(TestApp app, QueueClient queue)
    {
        var function = app.App.Services.GetRequiredService<FunctionCatalog>().Get<IQueueFunction>("ExecuteOrderIntent");
        var summaries = new List<string>();
        foreach (var m in (await queue.ReceiveMessagesAsync(32)).Value)
        {
            summaries.Add(await function.RunAsync(new QueueInvocation(m.MessageId, m.Body.ToString(), m.DequeueCount, m.InsertedOn), CancellationToken.None));
            await queue.DeleteMessageAsync(m.MessageId, m.PopReceipt);
        }
        return summaries;
    }

    public static async Task<JsonObject> FailoverAsync(TestApp app, string path, string body, int expected)
    {
        var (status, json) = await app.SendAsync(HttpMethod.Post, path, TestApp.AdminKey, body);
        Assert.True(status == expected, $"POST {path} answered {status}, expected {expected}: {json}");
        return json!;
    }

    public static async Task<JsonObject> GetAsync(TestApp app, string path)
    {
        var (status, json) = await app.SendAsync(HttpMethod.Get, path, TestApp.FunctionKey);
        Assert.True(status == 200, $"GET {path} answered {status}: {json}");
        return json!;
    }

    public static string[] StepNames(JsonNode run) => run["steps"]!.AsArray().Select(s => $"{(string)s!["name"]!}:{(string)s["phase"]!}:{(string)s["outcome"]!}").ToArray();
}

/// <summary>A real Kestrel endpoint whose answers wait for the test: signals each arrival, answers once released.</summary>
internal sealed class GateTarget : IAsyncDisposable
{
    private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LoopbackEndpoint _endpoint = null!;

    public Uri Url { get; private set; } = null!;

    public int Calls;

    /// <summary>Completes when a request has arrived (and is waiting for <see cref="Release"/>).</summary>
    public Task Arrived => _arrived.Task;

    public void Release() => _release.TrySetResult();

    /// <summary>From now on, answers at once.</summary>
    public void Open() => _release.TrySetResult();

    public static async Task<GateTarget> StartAsync()
    {
        var target = new GateTarget();
        target._endpoint = await LoopbackEndpoint.StartAsync(async context =>
        {
            Interlocked.Increment(ref target.Calls);
            target._arrived.TrySetResult();
            await target._release.Task.WaitAsync(context.RequestAborted);
            context.Response.StatusCode = 200;
        });
        target.Url = new Uri(target._endpoint.BaseUrl, "hook");
        return target;
    }

    public async ValueTask DisposeAsync()
    {
        _release.TrySetResult();
        await _endpoint.DisposeAsync();
    }
}
