using System.Net.Sockets;
using System.Net.WebSockets;

namespace HyperFunctions.Hyperliquid.Socket;

/// <summary>Maps a receive/send failure to a <see cref="DisconnectKind"/>.</summary>
internal static class DisconnectClassifier
{
    public static DisconnectKind Classify(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted })
            {
                return DisconnectKind.Reset;
            }
        }

        return exception switch
        {
            WebSocketException { WebSocketErrorCode: WebSocketError.InvalidMessageType or WebSocketError.HeaderError or WebSocketError.UnsupportedProtocol } => DisconnectKind.CorruptData,
            _ => DisconnectKind.Lost,
        };
    }
}
