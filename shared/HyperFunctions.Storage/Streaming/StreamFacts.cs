using HyperFunctions.Domain.Streaming;

namespace HyperFunctions.Storage.Streaming;

/// <summary>
/// The keeper's heartbeat row: is data arriving, from where, and who writes. <see cref="LastMessageAt"/> counts
/// every frame (pongs and acks too); <see cref="LastDataAt"/> only venue data (books, contexts, fills, order
/// updates) or a good REST poll: the HeartbeatCheck judges by it.
/// </summary>
public sealed record KeeperHeartbeat(
    DateTimeOffset WrittenAt,
    bool Connected,
    DataSource Source,
    DateTimeOffset? LastMessageAt,
    long ReconnectsTotal,
    long Attempts,
    int ConsecutiveFailures,
    string? LastDisconnect,
    DateTimeOffset? ConnectedSince,
    string Leader,
    long MessagesReceived,
    long BadInputs,
    DateTimeOffset? LastDataAt = null);

/// <summary>
/// One coin's market facts. <see cref="BookAt"/> is the venue's book time; the venue's asset context
/// (activeAssetCtx, metaAndAssetCtxs) carries no time, so <see cref="FundingAt"/> is when it arrived.
/// </summary>
public sealed record MarketFact(
    string Coin,
    decimal? Mid,
    decimal? BestBid,
    decimal? BestAsk,
    DateTimeOffset? BookAt,
    decimal BidDepth,
    decimal AskDepth,
    int BidLevels,
    int AskLevels,
    decimal? Funding,
    decimal? MarkPx,
    decimal? OraclePx,
    DateTimeOffset? FundingAt,
    DataSource Source);

/// <summary>A user fill as stored: keyed by <see cref="EventKeys.Fill"/> in the account's partition.</summary>
public sealed record StoredFill(
    string Account, string Coin, decimal Px, decimal Sz, string Side, long Time, decimal StartPosition, string Dir,
    decimal ClosedPnl, string Hash, long Oid, bool Crossed, decimal Fee, long Tid, string? FeeToken, string? Cloid)
{
    public string Key => EventKeys.Fill(Hash, Tid);
}

/// <summary>An order update as stored: keyed by <see cref="EventKeys.OrderUpdate"/>.</summary>
public sealed record StoredOrderUpdate(
    string Account, string Coin, string Side, decimal LimitPx, decimal Sz, long Oid, long Timestamp, decimal OrigSz, string? Cloid, string Status, long StatusTimestamp)
{
    public string Key => EventKeys.OrderUpdate(Oid, StatusTimestamp, Status);
}

/// <summary>The durable cursor of one account: the last fill processed (key and venue time, ms).</summary>
public sealed record StreamCursor(string Account, string LastKey, long LastTime, DateTimeOffset UpdatedAt)
{
    public DateTimeOffset LastTimeAt => DateTimeOffset.FromUnixTimeMilliseconds(LastTime);
}

/// <summary>Something the checks and alerting must hear about (a fallback to REST, a hand-back, a backfill outcome).</summary>
public sealed record StreamEventRecord(DateTimeOffset At, string Kind, string Detail, string Writer);
