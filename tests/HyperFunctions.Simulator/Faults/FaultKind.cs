namespace HyperFunctions.Simulator;

/// <summary>What a fault does. Count and duration semantics are documented per kind in docs/simulator.md.</summary>
public enum FaultKind
{
    /// <summary>Abort WebSocket connections (TCP reset, no close frame). Count = connections affected.</summary>
    DropConnections,

    /// <summary>Refuse WebSocket upgrades with HTTP 503. Count = attempts refused.</summary>
    RejectConnections,

    /// <summary>Keep connections open but send nothing at all (no data, no pong). Count = connections affected.</summary>
    Silence,

    /// <summary>Send a close frame (default 1001 "goodbye"). Count = connections affected.</summary>
    Goodbye,

    /// <summary>Send one invalid-JSON text frame. Count = connections affected.</summary>
    CorruptFrames,

    /// <summary>Delay REST answers and/or WebSocket messages. Count = requests/messages delayed.</summary>
    Latency,

    /// <summary>Answer REST requests with 429 (optionally with Retry-After). Count = requests answered so.</summary>
    RateLimit,

    /// <summary>Answer REST requests with an HTTP error status (default 503). Count = requests answered so.</summary>
    HttpError,

    /// <summary>Reject orders with an error status. Count = orders rejected.</summary>
    RejectOrders,

    /// <summary>Skip funding settlements and freeze the predicted rate. Count = hourly settlements skipped.</summary>
    StopFunding,

    /// <summary>Skip market ticks: prices, books and contexts stop moving. Count = ticks skipped.</summary>
    FreezeMarket,

    /// <summary>Report a position in clearinghouseState that differs from what fills imply. Count = answers affected.</summary>
    DivergePosition,

    /// <summary>
    /// Answer <c>/info</c> requests (all, or only those of one <c>type</c>) with HTTP 200 and JSON of the wrong
    /// shape (default <c>{"unexpected":"shape"}</c>). Count = answers affected.
    /// </summary>
    MalformedInfo,
}

/// <summary>Which transport a latency fault delays.</summary>
public enum FaultTarget
{
    All,
    Rest,
    WebSocket,
}
