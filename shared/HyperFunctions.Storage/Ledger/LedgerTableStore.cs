using Azure;
using Azure.Data.Tables;
using HyperFunctions.Domain.Safety;

namespace HyperFunctions.Storage.Ledger;

/// <summary>
/// The safety ledger's table: one partition per instance holding the state row, the schema row and
/// append-only history rows. Every write is one entity-group transaction guarded by the state row's
/// ETag, so two writers can never both win and a history row never exists without its state.
/// </summary>
public sealed class LedgerTableStore(TableClient table, string instanceId)
{
    /// <summary>The ledger layout this build reads and writes.</summary>
    public const int CurrentSchemaVersion = 1;

    public string InstanceId { get; } = instanceId;

    public async Task EnsureTableAsync(CancellationToken ct) => await table.CreateIfNotExistsAsync(ct);

    /// <summary>Reads the state row and schema row; null when the ledger has never been written.</summary>
    public async Task<LedgerSnapshot?> ReadAsync(CancellationToken ct)
    {
        var rows = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {InstanceId} and (RowKey eq {LedgerEntityMapper.StateRowKey} or RowKey eq {LedgerEntityMapper.SchemaRowKey})");
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            rows[entity.RowKey] = entity;

        if (!rows.TryGetValue(LedgerEntityMapper.StateRowKey, out var state)) return null;
        var schema = rows.TryGetValue(LedgerEntityMapper.SchemaRowKey, out var s) ? s.GetInt32("SchemaVersion") : null;
        return new LedgerSnapshot(LedgerEntityMapper.ToState(state), state.ETag, schema);
    }

    /// <summary>Reads only the schema row (cheap probe of reachability and layout).</summary>
    public async Task<int?> ReadSchemaVersionAsync(CancellationToken ct)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(InstanceId, LedgerEntityMapper.SchemaRowKey, ["SchemaVersion"], ct);
        return response.HasValue ? response.Value!.GetInt32("SchemaVersion") : null;
    }

    /// <summary>
    /// Writes the transition atomically. <paramref name="expected"/> null means "create the ledger"
    /// (fails if it exists). Returns false when another writer got there first (ETag or existence
    /// conflict): nothing was written and the caller must re-read and re-decide.
    /// </summary>
    public async Task<bool> TryCommitAsync(SafetyDecision.Transition transition, ETag? expected, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(transition);
        var actions = new List<TableTransactionAction>(3);
        var stateEntity = LedgerEntityMapper.ToStateEntity(InstanceId, transition.Next);
        if (expected is { } etag)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateReplace, stateEntity, etag));
        }
        else
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, stateEntity));
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, LedgerEntityMapper.ToSchemaEntity(InstanceId, CurrentSchemaVersion)));
        }
        actions.Add(new TableTransactionAction(TableTransactionActionType.Add, LedgerEntityMapper.ToHistoryEntity(InstanceId, transition.Record)));

        try
        {
            await table.SubmitTransactionAsync(actions, ct);
            return true;
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 412 or 409)
        {
            return false;
        }
    }

    /// <summary>History newest first; <paramref name="beforeVersion"/> pages back from (excluding) that version.</summary>
    public async Task<IReadOnlyList<SafetyTransition>> ReadHistoryAsync(int limit, long? beforeVersion, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var from = beforeVersion is { } before ? LedgerEntityMapper.HistoryRowKey(before) : LedgerEntityMapper.HistoryPrefix;
        var filter = beforeVersion is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {InstanceId} and RowKey ge {from} and RowKey lt {LedgerEntityMapper.HistoryEnd}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {InstanceId} and RowKey gt {from} and RowKey lt {LedgerEntityMapper.HistoryEnd}");
        var result = new List<SafetyTransition>(limit);
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(limit, 1000), cancellationToken: ct))
        {
            result.Add(LedgerEntityMapper.ToTransition(entity));
            if (result.Count == limit) break;
        }
        return result;
    }
}
