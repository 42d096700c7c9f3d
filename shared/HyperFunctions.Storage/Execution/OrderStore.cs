using System.Globalization;
using Azure;
using Azure.Data.Tables;
using HyperFunctions.Domain;
using HyperFunctions.Domain.Execution;

namespace HyperFunctions.Storage.Execution;

/// <summary>What the venue said about an order, when it said something.</summary>
public sealed record VenueFacts(long? Oid, decimal? FilledSize, decimal? AveragePrice);

/// <summary>An intent with where it stands; <see cref="ETag"/> guards the next change.</summary>
public sealed record OrderRecord(
    OrderIntent Intent,
    OrderStatus Status,
    string? Reason,
    VenueFacts Venue,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int Changes,
    ETag ETag);

/// <summary>One state change of an intent, append-only.</summary>
public sealed record OrderChange(int Sequence, OrderStatus Status, string? Reason, DateTimeOffset At, string Actor);

/// <summary>Another writer changed the intent since it was read; nothing was written.</summary>
public sealed class OrderConflictException(string cloid)
    : Exception($"Order {cloid} was changed by another writer; nothing was written.");

/// <summary>
/// Order intents and their results (Execution:Table). Partition <c>{instance}</c>: one row per intent
/// (<c>i|{cloid}</c>) and one row per state change (<c>c|{cloid}|{sequence:D5}</c>). The intent row and
/// its new change row are written in one entity-group transaction guarded by the intent row's ETag, so
/// no change is lost and none is recorded twice. Decimals travel as invariant strings.
/// </summary>
public sealed class OrderStore(TableClient table, string instanceId)
{
    private const string IntentPrefix = "i|";
    private const string ChangePrefix = "c|";
    private bool _ready;

    /// <summary>Records a new intent (status RECEIVED) with its first change; when the cloid is already recorded, returns that record and false.</summary>
    public async Task<(OrderRecord Record, bool Created)> RecordAsync(OrderIntent intent, string actor, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(intent);
        await EnsureTableAsync(ct);
        var row = ToEntity(intent, OrderStatus.Received, "Recorded.", new VenueFacts(null, null, null), now, now, 1);
        try
        {
            await table.SubmitTransactionAsync(
                [new TableTransactionAction(TableTransactionActionType.Add, row), new TableTransactionAction(TableTransactionActionType.Add, Change(intent.Cloid, 1, OrderStatus.Received, "Recorded.", now, actor))],
                ct);
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 409)
        {
            return (await GetAsync(intent.Cloid, ct) ?? throw new InvalidOperationException($"Order {intent.Cloid} exists and cannot be read."), false);
        }
        return ((await GetAsync(intent.Cloid, ct))!, true);
    }

    public async Task<OrderRecord?> GetAsync(string cloid, CancellationToken ct)
    {
        await EnsureTableAsync(ct);
        var found = await table.GetEntityIfExistsAsync<TableEntity>(instanceId, IntentPrefix + cloid, cancellationToken: ct);
        return found.HasValue && found.Value is { } e ? ToRecord(e) : null;
    }

    /// <summary>Moves the intent to <paramref name="status"/> and appends the change; throws <see cref="OrderConflictException"/> if it changed since read.</summary>
    public async Task<OrderRecord> TransitionAsync(OrderRecord current, OrderStatus status, string? reason, VenueFacts? venue, string actor, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(current);
        var sequence = current.Changes + 1;
        var facts = venue ?? current.Venue;
        var row = ToEntity(current.Intent, status, reason, facts, current.CreatedAt, now, sequence);
        try
        {
            await table.SubmitTransactionAsync(
                [new TableTransactionAction(TableTransactionActionType.UpdateReplace, row, current.ETag), new TableTransactionAction(TableTransactionActionType.Add, Change(current.Intent.Cloid, sequence, status, reason, now, actor))],
                ct);
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412)
        {
            throw new OrderConflictException(current.Intent.Cloid);
        }
        return (await GetAsync(current.Intent.Cloid, ct))!;
    }

    /// <summary>Every state change of an intent, oldest first.</summary>
    public async Task<IReadOnlyList<OrderChange>> ReadChangesAsync(string cloid, CancellationToken ct)
    {
        await EnsureTableAsync(ct);
        var from = ChangePrefix + cloid + "|";
        var to = ChangePrefix + cloid + "}"; // '}' sorts right after '|'
        var changes = new List<OrderChange>();
        await foreach (var e in table.QueryAsync<TableEntity>(x => x.PartitionKey == instanceId && x.RowKey.CompareTo(from) > 0 && x.RowKey.CompareTo(to) < 0, cancellationToken: ct))
        {
            changes.Add(new OrderChange(e.GetInt32("Sequence") ?? 0, WireNames<OrderStatus>.Parse(e.GetString("Status")), e.GetString("Reason"),
                e.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue, e.GetString("Actor") ?? ""));
        }
        return changes.OrderBy(c => c.Sequence).ToList();
    }

    /// <summary>Intents, newest change first, optionally only those with <paramref name="status"/>; at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<OrderRecord>> ListAsync(OrderStatus? status, int limit, CancellationToken ct)
    {
        await EnsureTableAsync(ct);
        var records = new List<OrderRecord>();
        var wire = status is { } s ? s.ToWire() : null;
        await foreach (var e in table.QueryAsync<TableEntity>(x => x.PartitionKey == instanceId && x.RowKey.CompareTo("i|") > 0 && x.RowKey.CompareTo("i}") < 0, cancellationToken: ct))
        {
            if (wire is null || e.GetString("Status") == wire) records.Add(ToRecord(e));
        }
        return records.OrderByDescending(r => r.UpdatedAt).ThenBy(r => r.Intent.Cloid, StringComparer.Ordinal).Take(limit).ToList();
    }

    private TableEntity Change(string cloid, int sequence, OrderStatus status, string? reason, DateTimeOffset at, string actor) =>
        new(instanceId, $"{ChangePrefix}{cloid}|{sequence.ToString("D5", CultureInfo.InvariantCulture)}")
        {
            ["Sequence"] = sequence,
            ["Status"] = status.ToWire(),
            ["Reason"] = Cut(reason),
            ["At"] = at,
            ["Actor"] = actor,
        };

    private TableEntity ToEntity(OrderIntent i, OrderStatus status, string? reason, VenueFacts venue, DateTimeOffset createdAt, DateTimeOffset updatedAt, int changes) =>
        new(instanceId, IntentPrefix + i.Cloid)
        {
            ["SourceKey"] = i.SourceKey,
            ["Coin"] = i.Coin,
            ["Side"] = i.IsBuy ? "buy" : "sell",
            ["Size"] = Text(i.Size),
            ["Type"] = i.Type == OrderType.Limit ? "limit" : "market",
            ["LimitPrice"] = Text(i.LimitPrice),
            ["Slippage"] = Text(i.Slippage),
            ["Tif"] = i.Tif.ToString(),
            ["ReduceOnly"] = i.ReduceOnly,
            ["Status"] = status.ToWire(),
            ["Reason"] = Cut(reason),
            ["Oid"] = venue.Oid,
            ["FilledSize"] = Text(venue.FilledSize),
            ["AveragePrice"] = Text(venue.AveragePrice),
            ["CreatedAt"] = createdAt,
            ["UpdatedAt"] = updatedAt,
            ["Changes"] = changes,
        };

    private static OrderRecord ToRecord(TableEntity e)
    {
        var cloid = e.RowKey[IntentPrefix.Length..];
        var draft = new OrderIntentDraft(e.GetString("Coin"), e.GetString("Side"), Number(e.GetString("Size")), e.GetString("Type"),
            Number(e.GetString("LimitPrice")), Number(e.GetString("Slippage")), e.GetString("Tif"), e.GetBoolean("ReduceOnly") ?? false, cloid);
        var (intent, errors) = OrderIntentRules.Validate(draft, e.GetString("SourceKey") ?? "");
        if (intent is null) throw new InvalidOperationException($"Order row {cloid} does not hold a valid intent: {string.Join(" ", errors.Select(kv => kv.Key))}.");
        return new OrderRecord(intent, WireNames<OrderStatus>.Parse(e.GetString("Status")), e.GetString("Reason"),
            new VenueFacts(e.GetInt64("Oid"), Number(e.GetString("FilledSize")), Number(e.GetString("AveragePrice"))),
            e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue, e.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.MinValue,
            e.GetInt32("Changes") ?? 0, e.ETag);
    }

    private static string? Text(decimal? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static decimal? Number(string? text) => text is null ? null : decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);

    private static string? Cut(string? text) => text is { Length: > 2000 } ? text[..2000] : text;

    private async Task EnsureTableAsync(CancellationToken ct)
    {
        if (_ready) return;
        await table.CreateIfNotExistsAsync(ct);
        _ready = true;
    }
}
