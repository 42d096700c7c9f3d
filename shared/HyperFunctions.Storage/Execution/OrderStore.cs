using System.Globalization;
using Azure;
using Azure.Data.Tables;
using HyperFunctions.Domain;
using HyperFunctions.Domain.Execution;

namespace HyperFunctions.Storage.Execution;

/// <summary>What the venue said about an order, when it said something.</summary>
public sealed record VenueFacts(long? Oid, decimal? FilledSize, decimal? AveragePrice);

/// <summary>
/// What the intent has used of its retry budget: attempts (sends, rate-limited sends, venue look-ups by cloid),
/// when the first was made, and whether the budget ran out (then nothing retries it automatically).
/// </summary>
public sealed record OrderAttempts(int Count, DateTimeOffset? FirstAt, bool BudgetExceeded)
{
    public static OrderAttempts None { get; } = new(0, null, false);

    /// <summary>One more attempt at <paramref name="now"/>.</summary>
    public OrderAttempts Next(DateTimeOffset now) => this with { Count = Count + 1, FirstAt = FirstAt ?? now };
}

/// <summary>An intent with where it stands; <see cref="ETag"/> guards the next change.</summary>
public sealed record OrderRecord(
    OrderIntent Intent,
    OrderStatus Status,
    string? Reason,
    VenueFacts Venue,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int Changes,
    ETag ETag,
    OrderAttempts Attempts);

/// <summary>
/// An intent not final yet (RECEIVED, SENDING or UNKNOWN), from the open index. <see cref="SourceKey"/>, <see cref="Coin"/>
/// and <see cref="SignedSize"/> (buy positive) are copied from the intent so a reader needs no second read; null on an
/// index row written before they were added (read the intent row then).
/// </summary>
public sealed record OpenOrder(string Cloid, OrderStatus Status, DateTimeOffset Since, bool BudgetExceeded,
    string? SourceKey = null, string? Coin = null, decimal? SignedSize = null);

/// <summary>An intent the venue answered that may still be on its book (RESTING or ACCEPTED), from the resting index.</summary>
public sealed record RestingOrder(string Cloid, OrderStatus Status, DateTimeOffset Since);

/// <summary>A process start recorded in the order table (the runbook's emit_boot_event), e.g. in dry-run mode.</summary>
public sealed record BootEvent(DateTimeOffset At, string Process, string Mode, string Message);

/// <summary>One state change of an intent, append-only.</summary>
public sealed record OrderChange(int Sequence, OrderStatus Status, string? Reason, DateTimeOffset At, string Actor);

/// <summary>Another writer changed the intent since it was read; nothing was written.</summary>
public sealed class OrderConflictException(string cloid)
    : Exception($"Order {cloid} was changed by another writer; nothing was written.");

/// <summary>
/// Order intents and their results (Execution:Table). Partition <c>{instance}</c>: one row per intent
/// (<c>i|{cloid}</c>), one row per state change (<c>c|{cloid}|{sequence:D5}</c>), one open-index row
/// (<c>o|{cloid}</c>, with the intent's source key, coin and signed size) for each intent not final yet (RECEIVED,
/// SENDING or UNKNOWN), one resting-index row (<c>r|{cloid}</c>) for each intent that may still be on the venue's book
/// (RESTING, ACCEPTED), and boot events (<c>b|{inverted ticks}|{process}</c>).
/// The intent row, its new change row and its index row are written in one entity-group transaction guarded by
/// the intent row's ETag, so no change is lost, none is recorded twice, and the index never disagrees with the
/// intent for long (a stale index row is ignored and removed by the reader). Decimals travel as invariant strings.
/// </summary>
public sealed class OrderStore(TableClient table, string instanceId)
{
    private const string IntentPrefix = "i|";
    private const string ChangePrefix = "c|";
    private const string OpenPrefix = "o|";
    private const string RestingPrefix = "r|";
    private const string BootPrefix = "b|";
    private bool _ready;

    /// <summary>
    /// Records a new intent (status RECEIVED) with its first change and its open-index row (a RECEIVED intent whose
    /// message is lost, e.g. to the poison queue, is found there by the resolution timer); when the cloid is already
    /// recorded, returns that record and false.
    /// </summary>
    public async Task<(OrderRecord Record, bool Created)> RecordAsync(OrderIntent intent, string actor, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(intent);
        await EnsureTableAsync(ct);
        var row = ToEntity(intent, OrderStatus.Received, "Recorded.", new VenueFacts(null, null, null), now, now, 1, OrderAttempts.None);
        try
        {
            await table.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.Add, row),
                    new TableTransactionAction(TableTransactionActionType.Add, Change(intent.Cloid, 1, OrderStatus.Received, "Recorded.", now, actor)),
                    new TableTransactionAction(TableTransactionActionType.UpsertReplace, OpenRow(intent, OrderStatus.Received, now, false)),
                ],
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

    /// <summary>
    /// Moves the intent to <paramref name="status"/> and appends the change (with <paramref name="attempts"/> when
    /// given); keeps the open index in step. Throws <see cref="OrderConflictException"/> if it changed since read.
    /// </summary>
    public async Task<OrderRecord> TransitionAsync(OrderRecord current, OrderStatus status, string? reason, VenueFacts? venue, string actor, DateTimeOffset now, CancellationToken ct, OrderAttempts? attempts = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        var sequence = current.Changes + 1;
        var facts = venue ?? current.Venue;
        var used = attempts ?? current.Attempts;
        var row = ToEntity(current.Intent, status, reason, facts, current.CreatedAt, now, sequence, used);
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.UpdateReplace, row, current.ETag),
            new(TableTransactionActionType.Add, Change(current.Intent.Cloid, sequence, status, reason, now, actor)),
        };
        if (!status.IsTerminal()) actions.Add(new(TableTransactionActionType.UpsertReplace, OpenRow(current.Intent, status, now, used.BudgetExceeded)));
        else if (!current.Status.IsTerminal()) actions.Add(new(TableTransactionActionType.Delete, new TableEntity(instanceId, OpenPrefix + current.Intent.Cloid), ETag.All));
        if (status.MayRestAtVenue()) actions.Add(new(TableTransactionActionType.UpsertReplace, RestingRow(current.Intent.Cloid, status, now)));
        else if (current.Status.MayRestAtVenue()) actions.Add(new(TableTransactionActionType.Delete, new TableEntity(instanceId, RestingPrefix + current.Intent.Cloid), ETag.All));
        try
        {
            await SubmitAsync(actions, ct);
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412)
        {
            throw new OrderConflictException(current.Intent.Cloid);
        }
        return (await GetAsync(current.Intent.Cloid, ct))!;
    }

    /// <summary>
    /// Counts one attempt that changed nothing else (e.g. a look-up by cloid the venue did not answer) on the
    /// intent row only, guarded by its ETag; throws <see cref="OrderConflictException"/> if it changed since read.
    /// </summary>
    public async Task<OrderRecord> CountAttemptAsync(OrderRecord current, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(current);
        var row = ToEntity(current.Intent, current.Status, current.Reason, current.Venue, current.CreatedAt, current.UpdatedAt, current.Changes, current.Attempts.Next(now));
        try
        {
            await table.UpdateEntityAsync(row, current.ETag, TableUpdateMode.Replace, ct);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            throw new OrderConflictException(current.Intent.Cloid);
        }
        return (await GetAsync(current.Intent.Cloid, ct))!;
    }

    /// <summary>The intents not final yet (RECEIVED, SENDING or UNKNOWN), from the open index (a point query over its rows, never a scan of every order).</summary>
    public async Task<IReadOnlyList<OpenOrder>> ListOpenAsync(CancellationToken ct)
    {
        await EnsureTableAsync(ct);
        var open = new List<OpenOrder>();
        await foreach (var e in table.QueryAsync<TableEntity>(x => x.PartitionKey == instanceId && x.RowKey.CompareTo(OpenPrefix) > 0 && x.RowKey.CompareTo("o}") < 0, cancellationToken: ct))
        {
            open.Add(new OpenOrder(e.RowKey[OpenPrefix.Length..], WireNames<OrderStatus>.Parse(e.GetString("Status")), e.GetDateTimeOffset("Since") ?? DateTimeOffset.MinValue,
                e.GetBoolean("BudgetExceeded") ?? false, e.GetString("SourceKey"), e.GetString("Coin"), Number(e.GetString("SignedSize"))));
        }
        return open;
    }

    /// <summary>Removes an index row whose intent is no longer open (left by a writer that replaced the intent without it).</summary>
    public Task DropStaleOpenAsync(string cloid, CancellationToken ct) => DeleteIfExistsAsync(OpenPrefix + cloid, ct);

    /// <summary>
    /// Up to <paramref name="limit"/> intents that may still rest at the venue (RESTING, ACCEPTED), in cloid order after
    /// <paramref name="afterCloid"/> (null: from the first), from the resting index: a range query over its rows, never a
    /// scan of every order. A caller pages through them round-robin by passing the last cloid it saw.
    /// </summary>
    public async Task<IReadOnlyList<RestingOrder>> ListRestingAsync(string? afterCloid, int limit, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await EnsureTableAsync(ct);
        var from = RestingPrefix + (afterCloid ?? "");
        var resting = new List<RestingOrder>();
        await foreach (var e in table.QueryAsync<TableEntity>(x => x.PartitionKey == instanceId && x.RowKey.CompareTo(from) > 0 && x.RowKey.CompareTo("r}") < 0, maxPerPage: limit, cancellationToken: ct))
        {
            resting.Add(new RestingOrder(e.RowKey[RestingPrefix.Length..], WireNames<OrderStatus>.Parse(e.GetString("Status")), e.GetDateTimeOffset("Since") ?? DateTimeOffset.MinValue));
            if (resting.Count >= limit) break;
        }
        return resting;
    }

    /// <summary>How many intents the resting index holds (RESTING, ACCEPTED), by status; reads only the index's keys and status.</summary>
    public async Task<IReadOnlyDictionary<OrderStatus, int>> CountRestingAsync(CancellationToken ct)
    {
        await EnsureTableAsync(ct);
        var counts = new Dictionary<OrderStatus, int>();
        await foreach (var e in table.QueryAsync<TableEntity>(x => x.PartitionKey == instanceId && x.RowKey.CompareTo(RestingPrefix) > 0 && x.RowKey.CompareTo("r}") < 0,
                           select: ["RowKey", "Status"], cancellationToken: ct))
        {
            var status = WireNames<OrderStatus>.Parse(e.GetString("Status"));
            counts[status] = counts.GetValueOrDefault(status) + 1;
        }
        return counts;
    }

    /// <summary>Removes a resting-index row whose intent is no longer RESTING or ACCEPTED.</summary>
    public Task DropStaleRestingAsync(string cloid, CancellationToken ct) => DeleteIfExistsAsync(RestingPrefix + cloid, ct);

    private async Task DeleteIfExistsAsync(string rowKey, CancellationToken ct)
    {
        try
        {
            await table.DeleteEntityAsync(instanceId, rowKey, ETag.All, ct);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // already gone
        }
    }

    /// <summary>Records a process start (the runbook's emit_boot_event).</summary>
    public async Task RecordBootEventAsync(BootEvent boot, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(boot);
        await EnsureTableAsync(ct);
        var inverted = (DateTimeOffset.MaxValue.UtcTicks - boot.At.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);
        await table.UpsertEntityAsync(new TableEntity(instanceId, $"{BootPrefix}{inverted}|{boot.Process}")
        {
            ["At"] = boot.At,
            ["Process"] = boot.Process,
            ["Mode"] = boot.Mode,
            ["Message"] = Cut(boot.Message),
        }, TableUpdateMode.Replace, ct);
    }

    /// <summary>Boot events, newest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<BootEvent>> ListBootEventsAsync(int limit, CancellationToken ct)
    {
        await EnsureTableAsync(ct);
        var events = new List<BootEvent>();
        await foreach (var e in table.QueryAsync<TableEntity>(x => x.PartitionKey == instanceId && x.RowKey.CompareTo(BootPrefix) > 0 && x.RowKey.CompareTo("b}") < 0, maxPerPage: limit, cancellationToken: ct))
        {
            events.Add(new BootEvent(e.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue, e.GetString("Process") ?? "", e.GetString("Mode") ?? "", e.GetString("Message") ?? ""));
            if (events.Count >= limit) break;
        }
        return events;
    }

    private async Task SubmitAsync(List<TableTransactionAction> actions, CancellationToken ct)
    {
        try
        {
            await table.SubmitTransactionAsync(actions, ct);
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 404 && actions.Any(a => a.ActionType == TableTransactionActionType.Delete))
        {
            // An index row was not there (an intent written before that index existed): the same change without the
            // index deletes, then each delete on its own (a row that is there goes; one that is not is fine).
            await table.SubmitTransactionAsync(actions.Where(a => a.ActionType != TableTransactionActionType.Delete).ToList(), ct);
            foreach (var delete in actions.Where(a => a.ActionType == TableTransactionActionType.Delete)) await DeleteIfExistsAsync(delete.Entity.RowKey, ct);
        }
    }

    private TableEntity RestingRow(string cloid, OrderStatus status, DateTimeOffset since) =>
        new(instanceId, RestingPrefix + cloid)
        {
            ["Status"] = status.ToWire(),
            ["Since"] = since,
        };

    private TableEntity OpenRow(OrderIntent intent, OrderStatus status, DateTimeOffset since, bool budgetExceeded) =>
        new(instanceId, OpenPrefix + intent.Cloid)
        {
            ["Status"] = status.ToWire(),
            ["Since"] = since,
            ["BudgetExceeded"] = budgetExceeded,
            ["SourceKey"] = intent.SourceKey,
            ["Coin"] = intent.Coin,
            ["SignedSize"] = Text(intent.SignedSize),
        };

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

    private TableEntity ToEntity(OrderIntent i, OrderStatus status, string? reason, VenueFacts venue, DateTimeOffset createdAt, DateTimeOffset updatedAt, int changes, OrderAttempts attempts) =>
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
            ["Attempts"] = attempts.Count,
            ["FirstAttemptAt"] = attempts.FirstAt,
            ["BudgetExceeded"] = attempts.BudgetExceeded,
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
            e.GetInt32("Changes") ?? 0, e.ETag,
            new OrderAttempts(e.GetInt32("Attempts") ?? 0, e.GetDateTimeOffset("FirstAttemptAt"), e.GetBoolean("BudgetExceeded") ?? false));
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
