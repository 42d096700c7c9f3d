using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using HyperFunctions.Hyperliquid.Signing;
using Microsoft.Extensions.Time.Testing;

namespace HyperFunctions.Simulator.Tests.Support;

/// <summary>An in-process simulator on a FakeTimeProvider, an HttpClient for it, and a 10 s hang guard.</summary>
internal sealed class SimHarness : IAsyncDisposable
{
    /// <summary>Test start: a funding boundary (on the hour).</summary>
    public static readonly DateTimeOffset Start = new(2025, 6, 2, 12, 0, 0, TimeSpan.Zero);

    private readonly CancellationTokenSource _guard = new(TimeSpan.FromSeconds(10));
    private long _nonceOffset;

    private SimHarness(FakeTimeProvider time, HyperliquidSimulator sim)
    {
        Time = time;
        Sim = sim;
        Http = new HttpClient { BaseAddress = sim.RestUrl };
    }

    public FakeTimeProvider Time { get; }

    public HyperliquidSimulator Sim { get; }

    public HttpClient Http { get; }

    /// <summary>Cancelled after 10 s of wall-clock time: a hang guard, never a synchronisation.</summary>
    public CancellationToken Timeout => _guard.Token;

    public string DevAddress => SimulatorAccount.Dev.Address;

    public static async Task<SimHarness> StartAsync(Func<TimeProvider, SimulatorOptions>? build = null)
    {
        var time = new FakeTimeProvider(Start);
        var options = build?.Invoke(time) ?? new SimulatorOptions { TimeProvider = time };
        var sim = await HyperliquidSimulator.StartAsync(options);
        return new SimHarness(time, sim);
    }

    public async Task<WsTestClient> ConnectAsync(bool skipGreeting = true)
    {
        var client = await WsTestClient.ConnectAsync(Sim.WsUrl, Timeout);
        if (skipGreeting)
        {
            Assert.Equal(WsTestClient.Greeting, await client.ReceiveTextAsync(Timeout));
        }

        return client;
    }

    public Task<HttpResponseMessage> PostAsync(string path, string json)
    {
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return Http.PostAsync(path, content, Timeout);
    }

    public async Task<JsonNode?> InfoAsync(string json)
    {
        using var response = await PostAsync("info", json);
        var text = await response.Content.ReadAsStringAsync(Timeout);
        Assert.True(response.IsSuccessStatusCode, $"/info {json} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text);
    }

    /// <summary>A fresh nonce: the simulator time in ms plus a counter.</summary>
    public long NextNonce() => Time.GetUtcNow().ToUnixTimeMilliseconds() + Interlocked.Increment(ref _nonceOffset);

    /// <summary>The /exchange body for an action signed with <paramref name="privateKey"/>.</summary>
    public static string SignedBody(JsonObject action, long nonce, string privateKey, string? vaultAddress = null, bool isMainnet = true, long? expiresAfter = null)
    {
        var signature = HyperliquidSigner.SignL1Action(privateKey, action, nonce, vaultAddress, isMainnet, expiresAfter);
        var body = new JsonObject
        {
            ["action"] = action.DeepClone(),
            ["nonce"] = nonce,
            ["signature"] = new JsonObject { ["r"] = signature.R, ["s"] = signature.S, ["v"] = signature.V },
        };
        if (vaultAddress is not null)
        {
            body["vaultAddress"] = vaultAddress;
        }

        if (expiresAfter is not null)
        {
            body["expiresAfter"] = expiresAfter;
        }

        return body.ToJsonString();
    }

    public async Task<JsonObject> ExchangeAsync(
        JsonObject action, string privateKey = SimulatorAccount.DevPrivateKey, long? nonce = null, string? vaultAddress = null, bool isMainnet = true, long? expiresAfter = null)
    {
        using var response = await PostAsync("exchange", SignedBody(action, nonce ?? NextNonce(), privateKey, vaultAddress, isMainnet, expiresAfter));
        var text = await response.Content.ReadAsStringAsync(Timeout);
        Assert.True(response.IsSuccessStatusCode, $"/exchange answered {(int)response.StatusCode}: {text}");
        return (JsonObject)JsonNode.Parse(text)!;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Sim.DisposeAsync();
        _guard.Dispose();
    }
}
