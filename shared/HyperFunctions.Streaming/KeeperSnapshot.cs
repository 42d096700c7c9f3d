using HyperFunctions.Domain.Streaming;
using HyperFunctions.Storage.Streaming;

namespace HyperFunctions.Streaming;

/// <summary>The keeper's state as it stands in memory (what /status shows); immutable.</summary>
public sealed record KeeperSnapshot(
    string Self,
    bool IsLeader,
    string? Leader,
    bool Ready,
    bool Connected,
    DataSource Source,
    DateTimeOffset? SourceSince,
    DateTimeOffset? LastMessageAt,
    long ReconnectsTotal,
    long Attempts,
    int ConsecutiveFailures,
    string? LastDisconnect,
    DateTimeOffset? HeartbeatWrittenAt,
    IReadOnlyList<MarketFact> Markets,
    IReadOnlyList<AccountView> Accounts,
    long BadInputs,
    long StorageWrites,
    long FillsWritten,
    long OrderUpdatesWritten,
    long RestPolls,
    string? LastStorageError,
    DateTimeOffset? LastDataAt = null,
    string? Site = null,
    bool MayLead = true,
    string? MayLeadReason = null);

/// <summary>One followed account: its durable cursor (as last written or read) and its backfill state.</summary>
/// <param name="NewestFillSeen">Key of the newest fill the keeper has seen for the account (written or not yet).</param>
public sealed record AccountView(string Account, string? CursorKey, DateTimeOffset? CursorTime, string Backfill, int PendingFills, string? NewestFillSeen);
