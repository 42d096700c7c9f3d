using Azure;
using Azure.Data.Tables;
using HyperFunctions.Domain.Copy;

namespace HyperFunctions.Storage.Copy;

/// <summary>The copier's durable cursor and the ETag that guards its next move.</summary>
public sealed record CopyCursor(string Target, CopyPosition Position, DateTimeOffset UpdatedAt, ETag ETag);

/// <summary>Another writer moved the copy cursor since it was read; nothing was written.</summary>
public sealed class CopyCursorConflictException(string target)
    : Exception($"The copy cursor of {target} was moved by another writer; nothing was written.");

/// <summary>
/// The copier's own cursor row in the keeper's cursor table (<c>HfCursors</c>): partition = instance, row key
/// <c>copy|{target}</c> (the keeper's rows are keyed by the bare account, so the two never meet). Columns
/// <c>LastTime</c>, <c>LastTid</c>, <c>LastKey</c>, <c>UpdatedAt</c>. Every write is guarded: the first by
/// insert (409 if another writer was first), each later one by the ETag read with it (412), so two replicas
/// cannot both advance it.
/// </summary>
public sealed class CopyCursorStore(TableClient table, string instanceId)
{
    private const string Prefix = "copy|";
    private bool _ready;

    public async Task<CopyCursor?> ReadAsync(string target, CancellationToken ct)
    {
        await EnsureTableAsync(ct);
        var found = await table.GetEntityIfExistsAsync<TableEntity>(instanceId, Prefix + target, cancellationToken: ct);
        if (!found.HasValue || found.Value is not { } e) return null;
        var position = new CopyPosition(e.GetInt64("LastTime") ?? 0, e.GetInt64("LastTid") ?? 0, e.GetString("LastKey") ?? "");
        return new CopyCursor(target, position, e.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.MinValue, e.ETag);
    }

    /// <summary>
    /// Writes the cursor: inserts it when <paramref name="current"/> is null, else replaces it if unchanged since read.
    /// Throws <see cref="CopyCursorConflictException"/> when another writer got there first.
    /// </summary>
    public async Task<CopyCursor> WriteAsync(string target, CopyCursor? current, CopyPosition position, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(position);
        await EnsureTableAsync(ct);
        var row = new TableEntity(instanceId, Prefix + target)
        {
            ["LastTime"] = position.Time,
            ["LastTid"] = position.Tid,
            ["LastKey"] = position.Key,
            ["UpdatedAt"] = now,
        };
        try
        {
            var response = current is null
                ? await table.AddEntityAsync(row, ct)
                : await table.UpdateEntityAsync(row, current.ETag, TableUpdateMode.Replace, ct);
            return new CopyCursor(target, position, now, response.Headers.ETag ?? default);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            throw new CopyCursorConflictException(target);
        }
    }

    private async Task EnsureTableAsync(CancellationToken ct)
    {
        if (_ready) return;
        await table.CreateIfNotExistsAsync(ct);
        _ready = true;
    }
}
