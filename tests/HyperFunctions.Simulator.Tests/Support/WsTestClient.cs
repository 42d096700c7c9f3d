using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HyperFunctions.Simulator.Tests.Support;

/// <summary>What one receive returned: a text message, a close frame, or an aborted connection.</summary>
internal sealed record WsFrame(string? Text, WebSocketCloseStatus? CloseStatus = null, string? CloseDescription = null, bool Aborted = false)
{
    public bool IsClose => CloseStatus is not null;
}

/// <summary>A thin ClientWebSocket wrapper for tests: whole messages, JSON, channel waits.</summary>
internal sealed class WsTestClient : IAsyncDisposable
{
    public const string Greeting = "Websocket connection established.";

    private WsTestClient(ClientWebSocket socket) => Socket = socket;

    public ClientWebSocket Socket { get; }

    public static async Task<WsTestClient> ConnectAsync(Uri uri, CancellationToken ct)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        try
        {
            await socket.ConnectAsync(uri, ct);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new WsTestClient(socket);
    }

    public Task SendAsync(string text, CancellationToken ct) =>
        Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, ct);

    public Task PingAsync(CancellationToken ct) => SendAsync("""{"method":"ping"}""", ct);

    public async Task<WsFrame> ReceiveAsync(CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await Socket.ReceiveAsync(buffer, ct);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return new WsFrame(null, result.CloseStatus ?? WebSocketCloseStatus.Empty, result.CloseStatusDescription);
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    return new WsFrame(Encoding.UTF8.GetString(message.ToArray()));
                }
            }
        }
        catch (WebSocketException)
        {
            return new WsFrame(null, Aborted: true);
        }
    }

    public async Task<string> ReceiveTextAsync(CancellationToken ct)
    {
        var frame = await ReceiveAsync(ct);
        Assert.True(frame.Text is not null, $"Expected a text message, got close={frame.CloseStatus} aborted={frame.Aborted}.");
        return frame.Text!;
    }

    public async Task<JsonObject> ReceiveJsonAsync(CancellationToken ct)
    {
        var text = await ReceiveTextAsync(ct);
        return JsonNode.Parse(text) as JsonObject ?? throw new JsonException($"Not a JSON object: {text}");
    }

    /// <summary>Receives until a message of the channel (and match) arrives; other messages are skipped.</summary>
    public async Task<JsonObject> WaitForChannelAsync(string channel, CancellationToken ct, Func<JsonObject, bool>? match = null)
    {
        while (true)
        {
            var message = await ReceiveJsonAsync(ct);
            if ((string?)message["channel"] == channel && (match is null || match(message)))
            {
                return message;
            }
        }
    }

    /// <summary>Receives (skipping messages) until a close frame or an abort.</summary>
    public async Task<WsFrame> WaitUntilCloseAsync(CancellationToken ct)
    {
        while (true)
        {
            var frame = await ReceiveAsync(ct);
            if (frame.Text is null)
            {
                return frame;
            }
        }
    }

    /// <summary>Sends a subscribe and returns the ack.</summary>
    public async Task<JsonObject> SubscribeAsync(string subscriptionJson, CancellationToken ct)
    {
        await SendAsync($$"""{"method":"subscribe","subscription":{{subscriptionJson}}}""", ct);
        return await WaitForChannelAsync("subscriptionResponse", ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (Socket.State == WebSocketState.Open)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", cts.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // The test is over either way.
            }
        }

        Socket.Dispose();
    }
}
