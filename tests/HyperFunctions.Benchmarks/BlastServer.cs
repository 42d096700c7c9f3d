using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HyperFunctions.Benchmarks;

/// <summary>
/// Loopback WebSocket server: on every connection sends the greeting and then the recorded frames as
/// fast as the socket takes them, answers pings, and can drop every connection on demand.
/// </summary>
internal sealed class BlastServer : IAsyncDisposable
{
    private static readonly byte[] Greeting = Encoding.UTF8.GetBytes("Websocket connection established.");
    private static readonly byte[] Pong = Encoding.UTF8.GetBytes("{\"channel\":\"pong\"}");
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<HttpContext, byte> _live = new();

    private BlastServer(WebApplication app) => _app = app;

    public Uri WsUrl { get; private set; } = null!;

    public static async Task<BlastServer> StartAsync(byte[][] frames)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new BlastServer(app);
        app.UseWebSockets();
        app.Map("/ws", server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.WsUrl = new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal) + "/ws");
        server.Frames = frames;
        return server;
    }

    public byte[][] Frames { get; private set; } = [];

    /// <summary>Aborts every open connection (a "drop" fault).</summary>
    public void DropAll()
    {
        foreach (var ctx in _live.Keys)
        {
            ctx.Abort();
        }
    }

    public async ValueTask DisposeAsync()
    {
        DropAll();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        using var ws = await context.WebSockets.AcceptWebSocketAsync();
        _live[context] = 0;
        var sendLock = new SemaphoreSlim(1, 1);
        try
        {
            var ct = context.RequestAborted;
            var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var reader = Task.Run(() => AnswerPingsAsync(ws, sendLock, subscribed, ct), ct);
            await SendAsync(ws, sendLock, Greeting, ct);
            await subscribed.Task.WaitAsync(ct); // like the venue: data only after a subscription
            foreach (var frame in Frames)
            {
                await SendAsync(ws, sendLock, frame, ct);
            }

            await reader;
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
        }
        finally
        {
            _live.TryRemove(context, out _);
            sendLock.Dispose();
        }
    }

    private static async Task AnswerPingsAsync(WebSocket ws, SemaphoreSlim sendLock, TaskCompletionSource subscribed, CancellationToken ct)
    {
        var buffer = new byte[4096];
        while (ws.State == WebSocketState.Open)
        {
            var r = await ws.ReceiveAsync(buffer, ct);
            if (r.MessageType == WebSocketMessageType.Close)
            {
                subscribed.TrySetCanceled(ct);
                return;
            }

            if (buffer.AsSpan(0, r.Count).IndexOf("\"subscribe\""u8) >= 0)
            {
                subscribed.TrySetResult();
            }

            if (buffer.AsSpan(0, r.Count).IndexOf("\"ping\""u8) >= 0)
            {
                await SendAsync(ws, sendLock, Pong, ct);
            }
        }
    }

    private static async Task SendAsync(WebSocket ws, SemaphoreSlim sendLock, byte[] frame, CancellationToken ct)
    {
        await sendLock.WaitAsync(ct);
        try
        {
            await ws.SendAsync(frame, WebSocketMessageType.Text, true, ct);
        }
        finally
        {
            sendLock.Release();
        }
    }
}
