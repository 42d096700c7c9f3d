using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using HyperFunctions.Simulator.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HyperFunctions.Simulator.WebSockets;

/// <summary>GET /ws: accepts the upgrade, runs the sender and receive loops, cleans up.</summary>
internal sealed partial class WsEndpoint(
    SimulatorOptions options,
    SimClock clock,
    ConnectionRegistry registry,
    SimulatorFaults faults,
    SimulatorStats stats,
    WsMessageHandler handler,
    ILogger<WsEndpoint> logger)
{
    private const int MaxMessageBytes = 1 << 20;
    private static readonly byte[] Greeting = Encoding.UTF8.GetBytes("Websocket connection established.");

    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("Expected a WebSocket upgrade request.", context.RequestAborted);
            return;
        }

        if (faults.ShouldRejectConnection())
        {
            stats.ConnectionRejected();
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync("Service Unavailable", context.RequestAborted);
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var connection = new WsConnection(registry.NextId(), context, socket, clock, faults, stats, options.IdleTimeout);
        registry.Add(connection);
        stats.ConnectionOpened();
        LogOpened(logger, connection.Id, connection.Remote);
        if (options.SendConnectionEstablished)
        {
            connection.Send(Greeting);
        }

        faults.OnConnected(connection);
        var sender = connection.RunSenderAsync();
        var graceful = false;
        try
        {
            graceful = await ReceiveLoopAsync(connection, socket);
        }
        finally
        {
            if (!graceful)
            {
                connection.Abort();
            }

            await sender;
            registry.Remove(connection);
            stats.ConnectionClosed();
            LogClosed(logger, connection.Id);
        }
    }

    /// <summary>Reads client messages; true when the connection ends with a close handshake.</summary>
    private async Task<bool> ReceiveLoopAsync(WsConnection connection, WebSocket socket)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var message = new ArrayBufferWriter<byte>();
        try
        {
            while (true)
            {
                message.ResetWrittenCount();
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(), connection.ReceiveStop);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        connection.AcknowledgeClose(socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure);
                        return true;
                    }

                    message.Write(buffer.AsSpan(0, result.Count));
                    if (message.WrittenCount > MaxMessageBytes)
                    {
                        connection.Close(WebSocketCloseStatus.MessageTooBig, "message too big");
                        return true;
                    }
                }
                while (!result.EndOfMessage);

                connection.OnClientMessage();
                HandleSafely(connection, Encoding.UTF8.GetString(message.WrittenSpan));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            // Aborted, lost, or the close grace ran out (a clean end); cleanup follows.
            return connection.GraceExpired;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A bug in handling one message answers an error instead of killing the connection.</summary>
    private void HandleSafely(WsConnection connection, string text)
    {
        try
        {
            handler.Handle(connection, text);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogHandlerFailed(logger, ex, connection.Id);
            connection.Send(Json.Envelope.Error($"Simulator error while handling the message: {ex.Message}"));
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "WebSocket {Id}: handling a client message failed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, long id);

    [LoggerMessage(Level = LogLevel.Information, Message = "WebSocket {Id} opened from {Remote}")]
    private static partial void LogOpened(ILogger logger, long id, string remote);

    [LoggerMessage(Level = LogLevel.Information, Message = "WebSocket {Id} closed")]
    private static partial void LogClosed(ILogger logger, long id);
}
