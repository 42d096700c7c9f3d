using System.Text;
using Azure;
using Azure.Data.Tables;
using HyperFunctions.Domain;
using HyperFunctions.Domain.Alerts;

namespace HyperFunctions.Storage.Alerts;

/// <summary>An alert row as read: its state, how far its notifications have been put on the queue, and its ETag.</summary>
/// <param name="EnqueuedSequence">The newest notification whose deliveries are on the queue; below <see cref="AlertState.Notifications"/> means one is pending (a crash between the write and the enqueue).</param>
public sealed record StoredAlert(AlertState State, long EnqueuedSequence, ETag ETag)
{
    public bool HasPendingNotification => EnqueuedSequence < State.Notifications;
}

/// <summary>The last delivery attempt to one channel, as GET /api/status shows it.</summary>
/// <param name="Outcome">delivered, retrying, failed or skipped.</param>
public sealed record ChannelOutcome(string Channel, string Kind, string Outcome, DateTimeOffset At, string? Detail, string? AlertKey, int? Level);

/// <summary>
/// The alerts table: one partition per instance; one row per alert key (<c>alert|{key}</c>) holding the open
/// alert or the last resolved one, written only with the ETag it was read with (a stale write fails and is
/// decided again, so two processes signalling the same key make one alert); one row per channel
/// (<c>channel|{name}</c>) with the last delivery outcome.
/// </summary>
public sealed class AlertTableStore(TableClient table, string instanceId)
{
    public const string AlertPrefix = "alert|";
    public const string AlertEnd = "alert}";
    public const string ChannelPrefix = "channel|";
    public const string ChannelEnd = "channel}";

    public string InstanceId { get; } = instanceId;

    public async Task EnsureTableAsync(CancellationToken ct) => await table.CreateIfNotExistsAsync(ct);

    public async Task<StoredAlert?> ReadAsync(string key, CancellationToken ct)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(InstanceId, AlertRowKey(key), cancellationToken: ct);
        return response.HasValue ? ToStored(response.Value!) : null;
    }

    /// <summary>Every alert row (open and resolved) of the instance.</summary>
    public async Task<IReadOnlyList<StoredAlert>> ReadAllAsync(CancellationToken ct)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {InstanceId} and RowKey ge {AlertPrefix} and RowKey lt {AlertEnd}");
        var result = new List<StoredAlert>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: ct)) result.Add(ToStored(entity));
        return result;
    }

    /// <summary>
    /// Writes the alert if the row is still as read: <paramref name="expected"/> null means "create" (fails if it
    /// exists). False when another writer got there first: nothing was written; read and decide again.
    /// </summary>
    public async Task<bool> TryWriteAsync(AlertState state, long enqueuedSequence, ETag? expected, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(state);
        var entity = ToEntity(state, enqueuedSequence);
        try
        {
            if (expected is { } etag) await table.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, ct);
            else await table.AddEntityAsync(entity, ct);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412 or 404)
        {
            return false;
        }
    }

    /// <summary>Records that the deliveries of notification <paramref name="sequence"/> of alert <paramref name="alertId"/> are on the queue.</summary>
    public async Task MarkEnqueuedAsync(string key, string alertId, long sequence, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var stored = await ReadAsync(key, ct);
            if (stored is null || stored.State.AlertId != alertId || stored.EnqueuedSequence >= sequence) return;
            var patch = new TableEntity(InstanceId, AlertRowKey(key)) { ["EnqueuedSequence"] = sequence };
            try
            {
                await table.UpdateEntityAsync(patch, stored.ETag, TableUpdateMode.Merge, ct);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 412 or 404)
            {
                // Changed meanwhile: look again.
            }
        }
    }

    public async Task<bool> TryDeleteAsync(StoredAlert stored, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stored);
        try
        {
            await table.DeleteEntityAsync(InstanceId, AlertRowKey(stored.State.Key), stored.ETag, ct);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return false;
        }
    }

    public async Task RecordOutcomeAsync(ChannelOutcome outcome, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var entity = new TableEntity(InstanceId, ChannelPrefix + Escape(outcome.Channel))
        {
            ["Channel"] = outcome.Channel,
            ["Kind"] = outcome.Kind,
            ["Outcome"] = outcome.Outcome,
            ["At"] = outcome.At,
            ["Detail"] = outcome.Detail,
            ["AlertKey"] = outcome.AlertKey,
            ["Level"] = outcome.Level,
        };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, ct);
    }

    public async Task<IReadOnlyList<ChannelOutcome>> ReadOutcomesAsync(CancellationToken ct)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {InstanceId} and RowKey ge {ChannelPrefix} and RowKey lt {ChannelEnd}");
        var result = new List<ChannelOutcome>();
        await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            result.Add(new ChannelOutcome(e.GetString("Channel") ?? "", e.GetString("Kind") ?? "", e.GetString("Outcome") ?? "",
                e.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue, e.GetString("Detail"), e.GetString("AlertKey"), e.GetInt32("Level")));
        }
        return result;
    }

    /// <summary>The row key of an alert key: the characters a table key refuses (/ \ # ? %, controls) percent-encoded.</summary>
    public static string AlertRowKey(string key) => AlertPrefix + Escape(key);

    private static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            if (b < 0x20 || b >= 0x7F || c is '/' or '\\' or '#' or '?' or '%') sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            else sb.Append(c);
        }
        return sb.ToString();
    }

    private TableEntity ToEntity(AlertState s, long enqueued) => new(InstanceId, AlertRowKey(s.Key))
    {
        ["AlertId"] = s.AlertId,
        ["Key"] = s.Key,
        ["Status"] = WireNames<AlertStatus>.ToWire(s.Status),
        ["Level"] = (int)s.Level,
        ["OpenedLevel"] = (int)s.OpenedLevel,
        ["Title"] = s.Title,
        ["Detail"] = s.Detail,
        ["Source"] = s.Source,
        ["OpenedAt"] = s.OpenedAt,
        ["LevelSince"] = s.LevelSince,
        ["LastNotifiedAt"] = s.LastNotifiedAt,
        ["SignalAt"] = s.SignalAt,
        ["ResolvedAt"] = s.ResolvedAt,
        ["Notifications"] = s.Notifications,
        ["LastAction"] = WireNames<AlertAction>.ToWire(s.LastAction),
        ["EnqueuedSequence"] = enqueued,
    };

    private static StoredAlert ToStored(TableEntity e)
    {
        DateTimeOffset Time(string name) => e.GetDateTimeOffset(name) ?? throw new InvalidDataException($"Alert row {e.RowKey} has no {name}.");
        string Text(string name) => e.GetString(name) ?? throw new InvalidDataException($"Alert row {e.RowKey} has no {name}.");
        var state = new AlertState(
            Text("AlertId"), Text("Key"), WireNames<AlertStatus>.Parse(Text("Status")),
            (AlertLevel)(e.GetInt32("Level") ?? 1), (AlertLevel)(e.GetInt32("OpenedLevel") ?? 1),
            e.GetString("Title") ?? "", e.GetString("Detail") ?? "", e.GetString("Source") ?? "",
            Time("OpenedAt"), Time("LevelSince"), Time("LastNotifiedAt"), Time("SignalAt"), e.GetDateTimeOffset("ResolvedAt"),
            e.GetInt64("Notifications") ?? 0, WireNames<AlertAction>.Parse(Text("LastAction")));
        return new StoredAlert(state, e.GetInt64("EnqueuedSequence") ?? 0, e.ETag);
    }
}
