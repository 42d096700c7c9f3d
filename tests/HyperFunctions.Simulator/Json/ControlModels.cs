namespace HyperFunctions.Simulator.Json;

// Shapes of the simulator's own control API (/_sim/...). Not venue shapes.
internal sealed record FaultView(long Id, string Kind, int? Remaining, int Applied, long? ExpiresAtMs, bool Active);

internal sealed record ConnectionView(long Id, string Remote, long ConnectedAtMs, IReadOnlyList<string> Subscriptions, long MessagesSent, long MessagesReceived, long MessagesSuppressed, bool Silenced);

internal sealed record CountersView(
    int ActiveConnections,
    long TotalConnections,
    long ConnectionsRejected,
    long ConnectionsAborted,
    long ConnectionsClosedByServer,
    long MessagesSent,
    long MessagesSuppressed,
    long MessagesReceived,
    long RestRequests,
    long RateLimitedResponses,
    int PendingDelays,
    long MarketTicks,
    long FundingUpdates);

internal sealed record SimulatorStateView(
    long TimeMs,
    IReadOnlyDictionary<string, string> Mids,
    CountersView Counters,
    IReadOnlyList<ConnectionView> Connections,
    IReadOnlyList<FaultView> Faults,
    IReadOnlyDictionary<string, long> ScheduledCancels);
