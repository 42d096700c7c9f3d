using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HyperFunctions.Simulator.Http;

/// <summary>
/// Not a venue feature: a tiny alert receiver for the local run (docs/alerts.md). POST /_sim/alerts records any JSON
/// body (the function app's local webhook channel posts here); GET /_sim/alerts lists the last
/// <see cref="Capacity"/>, oldest first, each as {"receivedAt", "body"}; DELETE /_sim/alerts empties it.
/// </summary>
public sealed class AlertInbox
{
    private readonly Core.ChangeSignal? _signal;

    internal AlertInbox(Core.ChangeSignal? signal = null) => _signal = signal;

    public const int Capacity = 500;
    private readonly Lock _gate = new();
    private readonly Queue<JsonObject> _items = new();

    public IReadOnlyList<JsonObject> Items
    {
        get { lock (_gate) return [.. _items.Select(i => (JsonObject)i.DeepClone())]; }
    }

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/_sim/alerts", async (HttpContext c) =>
        {
            var (ok, node) = await HttpIo.ReadJsonAsync(c);
            if (!ok) return;
            lock (_gate)
            {
                _items.Enqueue(new JsonObject { ["receivedAt"] = TimeProvider.System.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture), ["body"] = node?.DeepClone() });
                while (_items.Count > Capacity) _items.Dequeue();
            }
            _signal?.Pulse();
            c.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        routes.MapGet("/_sim/alerts", (HttpContext c) => HttpIo.WriteJson(c, HttpIo.Utf8(new JsonArray([.. Items]).ToJsonString())));
        routes.MapDelete("/_sim/alerts", (HttpContext c) =>
        {
            lock (_gate) _items.Clear();
            c.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });
    }
}
