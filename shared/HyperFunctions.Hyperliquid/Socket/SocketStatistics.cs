using HyperFunctions.Hyperliquid.Policies;

namespace HyperFunctions.Hyperliquid.Socket;

/// <summary>Point-in-time health of the WebSocket keeper.</summary>
/// <param name="Connected">A connection is open now.</param>
/// <param name="AutoReconnectEnabled">The keeper reconnects by itself.</param>
/// <param name="Reconnecting">A reconnect is pending or in progress (since a loss, until data flows).</param>
/// <param name="ConnectedSince">When the current connection's data started to flow.</param>
/// <param name="ConnectionLostAt">When the last live connection was lost (kept after recovery).</param>
/// <param name="LastMessageAt">When the last message of any kind arrived.</param>
/// <param name="MessageTimeout">Silence that counts as a silent failure.</param>
/// <param name="Attempts">Connect attempts, the first included.</param>
/// <param name="Successes">Attempts after which data flowed.</param>
/// <param name="SuccessRate">Successes / Attempts (1 when no attempt yet).</param>
/// <param name="MeanConnectTime">Mean time from attempt start to first data, over successes.</param>
/// <param name="ReconnectsTotal">Successes after the first one (restorations).</param>
/// <param name="DisconnectsByKind">Ended connections and attempts by classification.</param>
/// <param name="LastDisconnect">Classification of the latest end.</param>
/// <param name="Circuit">Circuit breaker state.</param>
/// <param name="ConsecutiveFailures">Failed attempts since the last success.</param>
/// <param name="CircuitOpenings">How often the breaker opened.</param>
/// <param name="MessagesReceived">Frames received (all kinds).</param>
/// <param name="EventsDropped">Events dropped because the consumer fell behind the bounded queue.</param>
/// <param name="Subscriptions">Registered subscriptions.</param>
/// <param name="Streams">Per-stream continuity (l2Book/bbo time, trades tid).</param>
public sealed record SocketStatistics(
    bool Connected,
    bool AutoReconnectEnabled,
    bool Reconnecting,
    DateTimeOffset? ConnectedSince,
    DateTimeOffset? ConnectionLostAt,
    DateTimeOffset? LastMessageAt,
    TimeSpan MessageTimeout,
    long Attempts,
    long Successes,
    double SuccessRate,
    TimeSpan? MeanConnectTime,
    long ReconnectsTotal,
    IReadOnlyDictionary<DisconnectKind, long> DisconnectsByKind,
    DisconnectKind? LastDisconnect,
    CircuitState Circuit,
    int ConsecutiveFailures,
    long CircuitOpenings,
    long MessagesReceived,
    long EventsDropped,
    int Subscriptions,
    IReadOnlyList<StreamGapStats> Streams)
{
    /// <summary>Count of one disconnect kind.</summary>
    public long DisconnectCount(DisconnectKind kind) => DisconnectsByKind.TryGetValue(kind, out var n) ? n : 0;
}
