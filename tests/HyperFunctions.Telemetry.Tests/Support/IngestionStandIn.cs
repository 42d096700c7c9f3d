using System.IO.Compression;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HyperFunctions.Telemetry.Tests.Support;

/// <summary>
/// A local stand-in for Application Insights ingestion: accepts POST {endpoint}/v2.1/track (gzip or
/// plain, newline-delimited or array JSON), keeps every telemetry item, answers as the service does, and
/// lets a test wait for the items it expects (woken on each arrival, bounded by a guard).
/// </summary>
internal sealed class IngestionStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly List<JsonObject> _items = [];
    private readonly List<string> _paths = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstHeld = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _holding;

    private IngestionStandIn(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    /// <summary>A well-formed connection string whose ingestion endpoint is this stand-in.</summary>
    public string ConnectionString => $"InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint={Address}";

    public IReadOnlyList<string> Paths { get { lock (_lock) return [.. _paths]; } }

    /// <summary>A backend that is there but never answers: every POST waits until <see cref="Release"/>.</summary>
    public static async Task<IngestionStandIn> StartHangingAsync()
    {
        var standIn = await StartAsync();
        standIn._holding = true;
        return standIn;
    }

    /// <summary>Completes when the first export request is being held (the exporter is waiting on us).</summary>
    public Task FirstRequestHeld => _firstHeld.Task;

    public void Release() => _released.TrySetResult();

    public static async Task<IngestionStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        // Its own ActivitySource, which nothing listens to: the app under test shares this process, and its
        // tracer must not record (and export back here) the stand-in's server spans.
        builder.Services.AddSingleton(new System.Diagnostics.ActivitySource("HyperFunctions.Tests.IngestionStandIn"));
        var app = builder.Build();
        var standIn = new IngestionStandIn(app);
        app.MapFallback(standIn.ReceiveAsync);
        await app.StartAsync();
        standIn.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First() + "/");
        return standIn;
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        if (_holding)
        {
            _firstHeld.TrySetResult();
            await _released.Task.WaitAsync(context.RequestAborted);
        }
        var body = context.Request.Body;
        if (context.Request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
            body = new GZipStream(body, CompressionMode.Decompress);
        using var reader = new StreamReader(body);
        var text = await reader.ReadToEndAsync();
        var items = new List<JsonObject>();
        var trimmed = text.TrimStart();
        if (trimmed.StartsWith('['))
            items.AddRange(JsonNode.Parse(trimmed)!.AsArray().Select(n => n!.AsObject()));
        else
            items.AddRange(text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => JsonNode.Parse(l)!.AsObject()));
        TaskCompletionSource changed;
        lock (_lock)
        {
            _paths.Add(context.Request.Path.Value ?? "");
            if (context.Request.Path.Value?.EndsWith("/v2.1/track", StringComparison.Ordinal) == true) _items.AddRange(items);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
        await context.Response.WriteAsJsonAsync(new { itemsReceived = items.Count, itemsAccepted = items.Count, errors = Array.Empty<object>() });
    }

    public IReadOnlyList<JsonObject> Items { get { lock (_lock) return [.. _items]; } }

    /// <summary>Completes once <paramref name="condition"/> holds over the items received so far.</summary>
    public async Task WaitUntilAsync(Func<IReadOnlyList<JsonObject>, bool> condition, TimeSpan guard, string what)
    {
        using var cts = new CancellationTokenSource(guard);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (condition(_items)) return;
                changed = _changed.Task;
            }
            try
            {
                await changed.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{what} within {guard.TotalSeconds:F0} s; received {Items.Count} items: {string.Join(", ", Items.Select(Describe))}");
            }
        }
    }

    public static string BaseType(JsonObject item) => (string?)item["data"]?["baseType"] ?? "";

    public static JsonObject BaseData(JsonObject item) => item["data"]!["baseData"]!.AsObject();

    public static string Describe(JsonObject item) => $"{BaseType(item)}:{(string?)BaseData(item)["name"] ?? (string?)BaseData(item)["metrics"]?[0]?["name"]}";

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
