namespace HyperFunctions.Hyperliquid.Socket;

/// <summary>Why a connection (or a connect attempt) ended.</summary>
public enum DisconnectKind
{
    /// <summary>This client closed it (shutdown, forced reconnect).</summary>
    Closed,

    /// <summary>The server sent a close frame ("goodbye": maintenance, idle close, ...).</summary>
    Goodbye,

    /// <summary>The connection dropped without a close handshake.</summary>
    Lost,

    /// <summary>The peer reset the TCP connection.</summary>
    Reset,

    /// <summary>Nothing arrived for the message timeout while subscribed (silent failure).</summary>
    Timeout,

    /// <summary>A frame could not be parsed as a venue message.</summary>
    CorruptData,

    /// <summary>The WebSocket handshake failed or timed out (no connection was made).</summary>
    ConnectFailed,
}
