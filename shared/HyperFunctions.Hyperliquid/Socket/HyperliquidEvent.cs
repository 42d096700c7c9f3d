using HyperFunctions.Hyperliquid.Models;
using HyperFunctions.Hyperliquid.Policies;

namespace HyperFunctions.Hyperliquid.Socket;

/// <summary>Base of everything the socket delivers through <see cref="HyperliquidSocket.Events"/>.</summary>
public abstract record HyperliquidEvent
{
    /// <summary>When the client received it (injected TimeProvider).</summary>
    public DateTimeOffset ReceivedAt { get; internal set; }

    /// <summary>Whether this is market or user data (as opposed to acks, pongs and lifecycle events).</summary>
    public virtual bool IsData => true;
}

/// <summary><c>allMids</c></summary>
public sealed record AllMidsEvent(IReadOnlyDictionary<string, decimal> Mids) : HyperliquidEvent;

/// <summary><c>l2Book</c>; <see cref="Continuity"/> compares its venue time with the previous one.</summary>
public sealed record L2BookEvent(L2Book Book) : HyperliquidEvent
{
    /// <summary>Continuity against the previous message of the stream.</summary>
    public GapKind Continuity { get; internal set; }
}

/// <summary><c>trades</c>; <see cref="Continuity"/> flags repeated tids and steps back in time.</summary>
public sealed record TradesEvent(IReadOnlyList<Trade> Trades) : HyperliquidEvent
{
    /// <summary>Continuity against the previous message of the stream.</summary>
    public GapKind Continuity { get; internal set; }
}

/// <summary><c>bbo</c>; <see cref="Continuity"/> compares its venue time with the previous one.</summary>
public sealed record BboEvent(Bbo Bbo) : HyperliquidEvent
{
    /// <summary>Continuity against the previous message of the stream.</summary>
    public GapKind Continuity { get; internal set; }
}

/// <summary><c>candle</c></summary>
public sealed record CandleEvent(Candle Candle) : HyperliquidEvent;

/// <summary><c>userFills</c>; a payload with <c>IsSnapshot</c> repeats history: do not re-process (dedupe by tid).</summary>
public sealed record UserFillsEvent(UserFillsPayload Payload) : HyperliquidEvent;

/// <summary><c>orderUpdates</c></summary>
public sealed record OrderUpdatesEvent(IReadOnlyList<OrderWithStatus> Updates) : HyperliquidEvent;

/// <summary><c>userEvents</c> (wire channel <c>user</c>).</summary>
public sealed record UserEventsEvent(UserEventPayload Payload) : HyperliquidEvent;

/// <summary><c>activeAssetCtx</c></summary>
public sealed record ActiveAssetCtxEvent(ActiveAssetContext Context) : HyperliquidEvent;

/// <summary>A channel this client does not model; <see cref="Data"/> is the raw JSON.</summary>
public sealed record UnknownChannelEvent(string Channel, string Data) : HyperliquidEvent;

/// <summary><c>subscriptionResponse</c></summary>
public sealed record SubscriptionAckEvent(SubscriptionAck Ack) : HyperliquidEvent
{
    /// <inheritdoc />
    public override bool IsData => false;
}

/// <summary><c>pong</c></summary>
public sealed record PongEvent : HyperliquidEvent
{
    /// <inheritdoc />
    public override bool IsData => false;
}

/// <summary><c>error</c> channel: the venue refused something (e.g. a bad subscription).</summary>
public sealed record VenueErrorEvent(string Message) : HyperliquidEvent
{
    /// <inheritdoc />
    public override bool IsData => false;
}
