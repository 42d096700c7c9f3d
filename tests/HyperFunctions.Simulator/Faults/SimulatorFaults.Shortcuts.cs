using System.Net.WebSockets;

namespace HyperFunctions.Simulator;

// One shortcut per fault kind over Inject(FaultSpec).
public sealed partial class SimulatorFaults
{
    /// <summary>Aborts connections: the current ones now, and new ones while count/duration allow.</summary>
    public FaultHandle DropConnections(int? count = null, TimeSpan? duration = null) =>
        Inject(new FaultSpec(FaultKind.DropConnections) { Count = count, Duration = duration });

    /// <summary>Refuses WebSocket upgrades (HTTP 503); with neither count nor duration, until removed.</summary>
    public FaultHandle RejectConnections(int? count = null, TimeSpan? duration = null) =>
        Inject(new FaultSpec(FaultKind.RejectConnections) { Count = count, Duration = duration });

    /// <summary>Connections stay open but receive nothing (not even pong) until the fault ends or is removed.</summary>
    public FaultHandle Silence(int? count = null, TimeSpan? duration = null) =>
        Inject(new FaultSpec(FaultKind.Silence) { Count = count, Duration = duration });

    /// <summary>Sends a close frame (default 1001 "goodbye").</summary>
    public FaultHandle Goodbye(int? count = null, TimeSpan? duration = null, WebSocketCloseStatus status = WebSocketCloseStatus.EndpointUnavailable, string reason = "goodbye") =>
        Inject(new FaultSpec(FaultKind.Goodbye) { Count = count, Duration = duration, CloseStatus = status, CloseReason = reason });

    /// <summary>Sends one text frame that is not valid JSON (or <paramref name="frame"/>).</summary>
    public FaultHandle SendCorruptFrames(int? count = null, TimeSpan? duration = null, string? frame = null) =>
        Inject(new FaultSpec(FaultKind.CorruptFrames) { Count = count, Duration = duration, Message = frame });

    /// <summary>Delays REST answers and/or WebSocket messages by <paramref name="latency"/> of simulator time.</summary>
    public FaultHandle AddLatency(TimeSpan latency, FaultTarget target = FaultTarget.All, int? count = null, TimeSpan? duration = null) =>
        Inject(new FaultSpec(FaultKind.Latency) { Latency = latency, Target = target, Count = count, Duration = duration });

    /// <summary>Answers the next <paramref name="requests"/> REST requests with 429.</summary>
    public FaultHandle RateLimit(int requests, TimeSpan? retryAfter = null) =>
        Inject(new FaultSpec(FaultKind.RateLimit) { Count = requests, RetryAfter = retryAfter });

    /// <summary>Answers every REST request with 429 for <paramref name="duration"/>.</summary>
    public FaultHandle RateLimitFor(TimeSpan duration, TimeSpan? retryAfter = null) =>
        Inject(new FaultSpec(FaultKind.RateLimit) { Duration = duration, RetryAfter = retryAfter });

    /// <summary>Answers REST requests with an HTTP error status.</summary>
    public FaultHandle HttpErrors(int statusCode = 503, int? count = null, TimeSpan? duration = null) =>
        Inject(new FaultSpec(FaultKind.HttpError) { StatusCode = statusCode, Count = count, Duration = duration });

    /// <summary>
    /// Answers <c>/info</c> requests (all, or only those whose <c>type</c> is <paramref name="infoType"/>) with
    /// HTTP 200 and <paramref name="body"/> (default <c>{"unexpected":"shape"}</c>): JSON the client cannot map.
    /// </summary>
    public FaultHandle MalformedInfo(string? infoType = null, int? count = null, TimeSpan? duration = null, string? body = null) =>
        Inject(new FaultSpec(FaultKind.MalformedInfo) { InfoType = infoType, Count = count, Duration = duration, Message = body });

    /// <summary>Rejects orders (per-order error status) for all coins or one.</summary>
    public FaultHandle RejectOrders(int? count = null, TimeSpan? duration = null, string? message = null, string? coin = null) =>
        Inject(new FaultSpec(FaultKind.RejectOrders) { Count = count, Duration = duration, Message = message, Coin = coin });

    /// <summary>Skips funding settlements and freezes the predicted rate.</summary>
    public FaultHandle StopFunding(int? count = null, TimeSpan? duration = null, string? coin = null) =>
        Inject(new FaultSpec(FaultKind.StopFunding) { Count = count, Duration = duration, Coin = coin });

    /// <summary>Skips market ticks (prices, books, trades and contexts stop moving).</summary>
    public FaultHandle FreezeMarket(int? count = null, TimeSpan? duration = null) =>
        Inject(new FaultSpec(FaultKind.FreezeMarket) { Count = count, Duration = duration });

    /// <summary>Adds <paramref name="delta"/> to the signed size clearinghouseState reports for the user's coin.</summary>
    public FaultHandle DivergePosition(string user, string coin, decimal delta, int? count = null, TimeSpan? duration = null) =>
        Inject(new FaultSpec(FaultKind.DivergePosition) { User = user, Coin = coin, Delta = delta, Count = count, Duration = duration });
}
