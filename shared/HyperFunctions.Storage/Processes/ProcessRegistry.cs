using Azure.Data.Tables;

namespace HyperFunctions.Storage.Processes;

/// <summary>
/// Every process of an instance registers itself in a table (partition = instance id, row = process id)
/// and refreshes its row on each storage probe, so an operator sees which processes run, which build and
/// which configuration each has: two versions side by side in a rolling deploy are visible. Reads for
/// GET /api/status come from <see cref="Seen"/>, the list as of the last refresh, never from storage.
/// Rows not refreshed for a day are pruned on the way.
/// </summary>
public sealed class ProcessRegistry(TableClient table, string instanceId, ProcessIdentity self, TimeProvider time)
{
    private static readonly TimeSpan PruneAfter = TimeSpan.FromDays(1);

    private readonly Lock _gate = new();
    private IReadOnlyList<ProcessRecord> _seen = [];
    private DateTimeOffset? _refreshedAt;
    private bool _tableReady;

    public ProcessIdentity Self => self;

    /// <summary>The processes as of the last refresh (this one included once it has registered).</summary>
    public IReadOnlyList<ProcessRecord> Seen { get { lock (_gate) return _seen; } }

    /// <summary>When <see cref="Seen"/> was last read from storage (null before the first refresh).</summary>
    public DateTimeOffset? RefreshedAt { get { lock (_gate) return _refreshedAt; } }

    /// <summary>Writes this process's row (last seen now) and reads every row seen within <paramref name="window"/>.</summary>
    public async Task RefreshAsync(TimeSpan window, CancellationToken ct)
    {
        if (!_tableReady)
        {
            await table.CreateIfNotExistsAsync(ct);
            _tableReady = true;
        }
        var now = time.GetUtcNow();
        await table.UpsertEntityAsync(ToEntity(new ProcessRecord(self, now, null)), TableUpdateMode.Replace, ct);

        var seen = new List<ProcessRecord>();
        var stale = new List<string>();
        await foreach (var entity in table.QueryAsync<TableEntity>(e => e.PartitionKey == instanceId, cancellationToken: ct))
        {
            var record = ToRecord(entity);
            if (record is null) continue; // a row this build cannot read: leave it, list what it can
            if (now - record.LastSeen <= window) seen.Add(record);
            else if (now - record.LastSeen > PruneAfter) stale.Add(entity.RowKey);
        }
        foreach (var rowKey in stale) await table.DeleteEntityAsync(instanceId, rowKey, cancellationToken: ct);

        lock (_gate)
        {
            _seen = [.. seen.OrderBy(r => r.Identity.StartedAt)];
            _refreshedAt = now;
        }
    }

    /// <summary>Marks this process stopped (a clean shutdown), so status tells a stop from a crash.</summary>
    public Task MarkStoppedAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return table.UpsertEntityAsync(ToEntity(new ProcessRecord(self, now, now)), TableUpdateMode.Replace, ct);
    }

    private TableEntity ToEntity(ProcessRecord record) => new(instanceId, record.Identity.ProcessId)
    {
        ["HostingMode"] = record.Identity.HostingMode,
        ["MachineName"] = record.Identity.MachineName,
        ["Pid"] = record.Identity.Pid,
        ["BuildVersion"] = record.Identity.BuildVersion,
        ["ConfigHash"] = record.Identity.ConfigHash,
        ["Site"] = record.Identity.Site,
        ["StartedAt"] = record.Identity.StartedAt,
        ["LastSeen"] = record.LastSeen,
        ["StoppedAt"] = record.StoppedAt,
    };

    private static ProcessRecord? ToRecord(TableEntity e)
    {
        if (e.GetDateTimeOffset("StartedAt") is not { } started || e.GetDateTimeOffset("LastSeen") is not { } lastSeen) return null;
        var identity = new ProcessIdentity(
            e.RowKey,
            e.GetString("HostingMode") ?? "unknown",
            e.GetString("MachineName") ?? "unknown",
            e.GetInt32("Pid") ?? 0,
            e.GetString("BuildVersion") ?? "unknown",
            e.GetString("ConfigHash") ?? string.Empty,
            started,
            e.GetString("Site"));
        return new ProcessRecord(identity, lastSeen, e.GetDateTimeOffset("StoppedAt"));
    }
}
