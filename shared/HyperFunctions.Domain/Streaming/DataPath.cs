namespace HyperFunctions.Domain.Streaming;

/// <summary>The data-path failover rule's settings.</summary>
/// <param name="FailuresBeforeFallback">Consecutive failed reconnect attempts that switch to REST polling.</param>
/// <param name="StableBeforeHandBack">How long the socket must deliver data before the keeper switches back.</param>
public sealed record DataPathPolicy(int FailuresBeforeFallback, TimeSpan StableBeforeHandBack);

/// <summary>
/// The data-path failover state: which source feeds the facts, how many reconnect attempts have failed in
/// a row, and since when the socket has delivered data. Pure and immutable; each method returns the next
/// state, and <see cref="Switched"/> tells the caller a switch happened (to record it as an event).
/// </summary>
public sealed record DataPathState(DataSource Source, int ConsecutiveFailures, DateTimeOffset? SocketFlowingSince, DateTimeOffset? SourceSince)
{
    public static DataPathState Initial { get; } = new(DataSource.WebSocket, 0, null, null);

    /// <summary>Set by the method that switched the source; null otherwise.</summary>
    public DataSource? Switched { get; init; }

    /// <summary>A connect attempt failed or a live connection was lost.</summary>
    public DataPathState OnSocketFailure(DataPathPolicy policy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var failures = ConsecutiveFailures + 1;
        if (Source == DataSource.WebSocket && failures >= policy.FailuresBeforeFallback)
            return new DataPathState(DataSource.Rest, failures, null, now) { Switched = DataSource.Rest };
        return this with { ConsecutiveFailures = failures, SocketFlowingSince = null, Switched = null };
    }

    /// <summary>The socket delivers data (again).</summary>
    public DataPathState OnSocketData(DataPathPolicy policy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var since = SocketFlowingSince ?? now;
        if (Source == DataSource.Rest && now - since >= policy.StableBeforeHandBack)
            return new DataPathState(DataSource.WebSocket, 0, since, now) { Switched = DataSource.WebSocket };
        return this with { ConsecutiveFailures = 0, SocketFlowingSince = since, Switched = null };
    }

    /// <summary>Time passed without news (lets the hand-back happen even between messages).</summary>
    public DataPathState OnTick(DataPathPolicy policy, DateTimeOffset now) =>
        SocketFlowingSince is null ? this with { Switched = null } : OnSocketData(policy, now);
}
