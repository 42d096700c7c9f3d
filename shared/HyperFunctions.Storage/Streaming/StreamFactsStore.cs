using System.Globalization;
using Azure;
using Azure.Data.Tables;
using HyperFunctions.Domain.Streaming;

namespace HyperFunctions.Storage.Streaming;

/// <summary>
/// The keeper's tables (docs/keeper.md). Every write is idempotent: heartbeat, market rows and cursors
/// are replaced in place; fills and order updates are keyed by the venue's ids, so writing one twice
/// leaves one row. Partition = instance id (heartbeat, markets, events), or instance id + account
/// (fills, order updates, cursors).
/// </summary>
public sealed class StreamFactsStore
{
    private const int BatchLimit = 100; // entity-group transaction limit
    private readonly string _instanceId;
    private bool _ready;

    public StreamFactsStore(TableServiceClient tables, string prefix, string instanceId)
    {
        ArgumentNullException.ThrowIfNull(tables);
        _instanceId = instanceId;
        Heartbeats = tables.GetTableClient(prefix + "Heartbeat");
        Markets = tables.GetTableClient(prefix + "Markets");
        Fills = tables.GetTableClient(prefix + "Fills");
        OrderUpdates = tables.GetTableClient(prefix + "OrderUpdates");
        Cursors = tables.GetTableClient(prefix + "Cursors");
        Events = tables.GetTableClient(prefix + "StreamEvents");
    }

    public TableClient Heartbeats { get; }
    public TableClient Markets { get; }
    public TableClient Fills { get; }
    public TableClient OrderUpdates { get; }
    public TableClient Cursors { get; }
    public TableClient Events { get; }

    public string AccountPartition(string account) => $"{_instanceId}|{account}";

    public async Task EnsureTablesAsync(CancellationToken ct)
    {
        if (_ready) return;
        foreach (var t in new[] { Heartbeats, Markets, Fills, OrderUpdates, Cursors, Events }) await t.CreateIfNotExistsAsync(ct);
        _ready = true;
    }

    public Task WriteHeartbeatAsync(KeeperHeartbeat h, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(h);
        var e = new TableEntity(_instanceId, "heartbeat")
        {
            ["WrittenAt"] = h.WrittenAt,
            ["Connected"] = h.Connected,
            ["Source"] = h.Source.ToWire(),
            ["LastMessageAt"] = h.LastMessageAt,
            ["ReconnectsTotal"] = h.ReconnectsTotal,
            ["Attempts"] = h.Attempts,
            ["ConsecutiveFailures"] = h.ConsecutiveFailures,
            ["LastDisconnect"] = h.LastDisconnect,
            ["ConnectedSince"] = h.ConnectedSince,
            ["Leader"] = h.Leader,
            ["MessagesReceived"] = h.MessagesReceived,
            ["BadInputs"] = h.BadInputs,
            ["LastDataAt"] = h.LastDataAt,
        };
        return Heartbeats.UpsertEntityAsync(e, TableUpdateMode.Replace, ct);
    }

    /// <summary>The heartbeat row, or null when no keeper has written one (the table may not even exist yet).</summary>
    public async Task<KeeperHeartbeat?> ReadHeartbeatIfAnyAsync(CancellationToken ct)
    {
        try
        {
            return await ReadHeartbeatAsync(ct);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>The market rows, or none when no keeper has written any (the table may not even exist yet).</summary>
    public async Task<IReadOnlyList<MarketFact>> ReadMarketsIfAnyAsync(CancellationToken ct)
    {
        try
        {
            return await ReadMarketsAsync(ct);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return [];
        }
    }

    public async Task<KeeperHeartbeat?> ReadHeartbeatAsync(CancellationToken ct)
    {
        var found = await Heartbeats.GetEntityIfExistsAsync<TableEntity>(_instanceId, "heartbeat", cancellationToken: ct);
        if (!found.HasValue || found.Value is not { } e) return null;
        return new KeeperHeartbeat(
            e.GetDateTimeOffset("WrittenAt") ?? DateTimeOffset.MinValue,
            e.GetBoolean("Connected") ?? false,
            e.GetString("Source") == "rest" ? DataSource.Rest : DataSource.WebSocket,
            e.GetDateTimeOffset("LastMessageAt"),
            e.GetInt64("ReconnectsTotal") ?? 0,
            e.GetInt64("Attempts") ?? 0,
            e.GetInt32("ConsecutiveFailures") ?? 0,
            e.GetString("LastDisconnect"),
            e.GetDateTimeOffset("ConnectedSince"),
            e.GetString("Leader") ?? "",
            e.GetInt64("MessagesReceived") ?? 0,
            e.GetInt64("BadInputs") ?? 0,
            e.GetDateTimeOffset("LastDataAt"));
    }

    /// <summary>One row per coin, replaced; a batch per partition.</summary>
    public async Task WriteMarketsAsync(IReadOnlyCollection<MarketFact> facts, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(facts);
        foreach (var chunk in facts.Chunk(BatchLimit))
        {
            var actions = chunk.Select(f => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(f))).ToList();
            await Markets.SubmitTransactionAsync(actions, ct);
        }
    }

    public async Task<IReadOnlyList<MarketFact>> ReadMarketsAsync(CancellationToken ct)
    {
        var list = new List<MarketFact>();
        await foreach (var e in Markets.QueryAsync<TableEntity>(x => x.PartitionKey == _instanceId, cancellationToken: ct))
        {
            list.Add(new MarketFact(
                e.RowKey, Dec(e, "Mid"), Dec(e, "BestBid"), Dec(e, "BestAsk"), e.GetDateTimeOffset("BookAt"),
                Dec(e, "BidDepth") ?? 0, Dec(e, "AskDepth") ?? 0, e.GetInt32("BidLevels") ?? 0, e.GetInt32("AskLevels") ?? 0,
                Dec(e, "Funding"), Dec(e, "MarkPx"), Dec(e, "OraclePx"), e.GetDateTimeOffset("FundingAt"),
                e.GetString("Source") == "rest" ? DataSource.Rest : DataSource.WebSocket));
        }
        return list;
    }

    /// <summary>Writes fills idempotently (upsert by hash+tid), in batches per account.</summary>
    public async Task WriteFillsAsync(IReadOnlyCollection<StoredFill> fills, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(fills);
        foreach (var group in fills.GroupBy(f => f.Account))
        {
            foreach (var chunk in group.DistinctBy(f => f.Key).Chunk(BatchLimit))
            {
                var actions = chunk.Select(f => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(f))).ToList();
                await Fills.SubmitTransactionAsync(actions, ct);
            }
        }
    }

    public Task<IReadOnlyList<StoredFill>> ReadFillsAsync(string account, CancellationToken ct) => ReadFillsAsync(account, null, ct);

    /// <summary>The account's fills with venue time after <paramref name="afterTimeMs"/> (all when null), oldest first; none when the table does not exist yet.</summary>
    public async Task<IReadOnlyList<StoredFill>> ReadFillsSinceIfAnyAsync(string account, long afterTimeMs, CancellationToken ct)
    {
        try
        {
            return await ReadFillsAsync(account, afterTimeMs, ct);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return [];
        }
    }

    /// <summary>The cursor, or null when none was written (the table may not even exist yet).</summary>
    public async Task<StreamCursor?> ReadCursorIfAnyAsync(string account, CancellationToken ct)
    {
        try
        {
            return await ReadCursorAsync(account, ct);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    private async Task<IReadOnlyList<StoredFill>> ReadFillsAsync(string account, long? afterTimeMs, CancellationToken ct)
    {
        var partition = AccountPartition(account);
        var list = new List<StoredFill>();
        var query = afterTimeMs is { } after
            ? Fills.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition} and Time gt {after}"), cancellationToken: ct)
            : Fills.QueryAsync<TableEntity>(x => x.PartitionKey == partition, cancellationToken: ct);
        await foreach (var e in query)
        {
            list.Add(new StoredFill(account, e.GetString("Coin") ?? "", Dec(e, "Px") ?? 0, Dec(e, "Sz") ?? 0, e.GetString("Side") ?? "",
                e.GetInt64("Time") ?? 0, Dec(e, "StartPosition") ?? 0, e.GetString("Dir") ?? "", Dec(e, "ClosedPnl") ?? 0,
                e.GetString("Hash") ?? "", e.GetInt64("Oid") ?? 0, e.GetBoolean("Crossed") ?? false, Dec(e, "Fee") ?? 0,
                e.GetInt64("Tid") ?? 0, e.GetString("FeeToken"), e.GetString("Cloid")));
        }
        return [.. list.OrderBy(f => f.Time).ThenBy(f => f.Tid)];
    }

    public async Task WriteOrderUpdatesAsync(IReadOnlyCollection<StoredOrderUpdate> updates, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(updates);
        foreach (var group in updates.GroupBy(u => u.Account))
        {
            foreach (var chunk in group.DistinctBy(u => u.Key).Chunk(BatchLimit))
            {
                var actions = chunk.Select(u => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(u))).ToList();
                await OrderUpdates.SubmitTransactionAsync(actions, ct);
            }
        }
    }

    public async Task<int> CountOrderUpdatesAsync(string account, CancellationToken ct)
    {
        var partition = AccountPartition(account);
        var n = 0;
        await foreach (var _ in OrderUpdates.QueryAsync<TableEntity>(x => x.PartitionKey == partition, select: ["RowKey"], cancellationToken: ct)) n++;
        return n;
    }

    public async Task<StreamCursor?> ReadCursorAsync(string account, CancellationToken ct)
    {
        var found = await Cursors.GetEntityIfExistsAsync<TableEntity>(_instanceId, account, cancellationToken: ct);
        if (!found.HasValue || found.Value is not { } e) return null;
        return new StreamCursor(account, e.GetString("LastKey") ?? "", e.GetInt64("LastTime") ?? 0, e.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.MinValue);
    }

    /// <summary>Writes the cursor; the caller only ever moves it forward (after the fills it covers are stored).</summary>
    public Task WriteCursorAsync(StreamCursor cursor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        var e = new TableEntity(_instanceId, cursor.Account)
        {
            ["LastKey"] = cursor.LastKey,
            ["LastTime"] = cursor.LastTime,
            ["UpdatedAt"] = cursor.UpdatedAt,
        };
        return Cursors.UpsertEntityAsync(e, TableUpdateMode.Replace, ct);
    }

    /// <summary>Appends an event row; the key sorts newest first.</summary>
    public Task AppendEventAsync(StreamEventRecord ev, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ev);
        var rowKey = (long.MaxValue - ev.At.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];
        var e = new TableEntity(_instanceId, rowKey) { ["At"] = ev.At, ["Kind"] = ev.Kind, ["Detail"] = ev.Detail, ["Writer"] = ev.Writer };
        return Events.AddEntityAsync(e, ct);
    }

    public async Task<IReadOnlyList<StreamEventRecord>> ReadEventsAsync(int limit, CancellationToken ct)
    {
        var list = new List<StreamEventRecord>();
        await foreach (var e in Events.QueryAsync<TableEntity>(x => x.PartitionKey == _instanceId, cancellationToken: ct))
        {
            list.Add(new StreamEventRecord(e.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue, e.GetString("Kind") ?? "", e.GetString("Detail") ?? "", e.GetString("Writer") ?? ""));
            if (list.Count >= limit) break;
        }
        return list;
    }

    private TableEntity ToEntity(MarketFact f) => new(_instanceId, f.Coin)
    {
        ["Mid"] = Str(f.Mid),
        ["BestBid"] = Str(f.BestBid),
        ["BestAsk"] = Str(f.BestAsk),
        ["BookAt"] = f.BookAt,
        ["BidDepth"] = Str(f.BidDepth),
        ["AskDepth"] = Str(f.AskDepth),
        ["BidLevels"] = f.BidLevels,
        ["AskLevels"] = f.AskLevels,
        ["Funding"] = Str(f.Funding),
        ["MarkPx"] = Str(f.MarkPx),
        ["OraclePx"] = Str(f.OraclePx),
        ["FundingAt"] = f.FundingAt,
        ["Source"] = f.Source.ToWire(),
    };

    private TableEntity ToEntity(StoredFill f) => new(AccountPartition(f.Account), f.Key)
    {
        ["Coin"] = f.Coin,
        ["Px"] = Str(f.Px),
        ["Sz"] = Str(f.Sz),
        ["Side"] = f.Side,
        ["Time"] = f.Time,
        ["StartPosition"] = Str(f.StartPosition),
        ["Dir"] = f.Dir,
        ["ClosedPnl"] = Str(f.ClosedPnl),
        ["Hash"] = f.Hash,
        ["Oid"] = f.Oid,
        ["Crossed"] = f.Crossed,
        ["Fee"] = Str(f.Fee),
        ["Tid"] = f.Tid,
        ["FeeToken"] = f.FeeToken,
        ["Cloid"] = f.Cloid,
    };

    private TableEntity ToEntity(StoredOrderUpdate u) => new(AccountPartition(u.Account), u.Key)
    {
        ["Coin"] = u.Coin,
        ["Side"] = u.Side,
        ["LimitPx"] = Str(u.LimitPx),
        ["Sz"] = Str(u.Sz),
        ["Oid"] = u.Oid,
        ["Timestamp"] = u.Timestamp,
        ["OrigSz"] = Str(u.OrigSz),
        ["Cloid"] = u.Cloid,
        ["Status"] = u.Status,
        ["StatusTimestamp"] = u.StatusTimestamp,
    };

    private static string? Str(decimal? d) => d?.ToString(CultureInfo.InvariantCulture);

    private static decimal? Dec(TableEntity e, string key) =>
        e.GetString(key) is { } s && decimal.TryParse(s, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var d) ? d : null;
}
