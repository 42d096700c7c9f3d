using System.Net.WebSockets;

namespace HyperFunctions.Simulator.WebSockets;

internal enum FrameKind
{
    /// <summary>A message: subject to Silence and Latency faults.</summary>
    Message,

    /// <summary>An injected frame (corrupt data): ignores Silence.</summary>
    Injected,

    /// <summary>A close frame; nothing is sent after it.</summary>
    Close,
}

internal readonly record struct OutboundFrame(FrameKind Kind, ReadOnlyMemory<byte> Payload, DateTimeOffset DueAt, WebSocketCloseStatus CloseStatus = WebSocketCloseStatus.NormalClosure, string? CloseReason = null, bool ServerInitiated = false);
