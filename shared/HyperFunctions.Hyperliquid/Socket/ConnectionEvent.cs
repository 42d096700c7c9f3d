namespace HyperFunctions.Hyperliquid.Socket;

/// <summary>Lifecycle steps of the keeper.</summary>
public enum ConnectionEventKind
{
    /// <summary>A connect attempt starts.</summary>
    Connecting,

    /// <summary>The handshake succeeded; subscriptions are being sent.</summary>
    Connected,

    /// <summary>Data flows after (re)subscription: the attempt counts as a success.</summary>
    DataFlowing,

    /// <summary>The connection or attempt ended; see <see cref="ConnectionEvent.Disconnect"/>.</summary>
    Disconnected,

    /// <summary>The next attempt is scheduled after <see cref="ConnectionEvent.Delay"/>.</summary>
    RetryScheduled,

    /// <summary>The circuit breaker opened; no attempt before <see cref="ConnectionEvent.Delay"/> passes.</summary>
    CircuitOpened,

    /// <summary>Auto-reconnect is off: the keeper waits until it is enabled again.</summary>
    WaitingForEnable,

    /// <summary>The keeper stopped (disposed).</summary>
    Stopped,
}

/// <summary>A lifecycle event, delivered in order with the data events.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Attempt">Attempt number (1-based, process lifetime).</param>
/// <param name="Disconnect">Classification, for <see cref="ConnectionEventKind.Disconnected"/>.</param>
/// <param name="Delay">Wait before the next attempt, for RetryScheduled and CircuitOpened.</param>
/// <param name="Detail">Free text: close status, exception message, ...</param>
public sealed record ConnectionEvent(
    ConnectionEventKind Kind,
    long Attempt,
    DisconnectKind? Disconnect = null,
    TimeSpan? Delay = null,
    string? Detail = null) : HyperliquidEvent
{
    /// <inheritdoc />
    public override bool IsData => false;
}
