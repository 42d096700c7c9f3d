using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using HyperFunctions.Domain;
using HyperFunctions.Domain.Failover;

namespace HyperFunctions.Storage.Failover;

/// <summary>The state row as read, with the ETag every write of it must present.</summary>
public sealed record FailoverSnapshot(FailoverRecord Record, ETag ETag);

/// <summary>
/// The failover table (Failover:Table), one partition per instance, with the ledger's discipline: the
/// state row (coordinator state + the active-site marker + the run holding it) and the history rows of one
/// step are written in ONE entity-group transaction guarded by the state row's ETag, so two writers never
/// both win and no step exists in history without the state it led to. Runs (<c>run|…</c>, newest first)
/// and their steps (<c>step|runId|seq</c>) are append-only apart from a run row's end.
/// </summary>
public sealed class FailoverStore(TableClient table, string instanceId)
{
    public const string StateRowKey = "state";
    private const string RunPrefix = "run|";
    private const string StepPrefix = "step|";

    public string InstanceId { get; } = instanceId;

    public async Task EnsureTableAsync(CancellationToken ct) => await table.CreateIfNotExistsAsync(ct);

    /// <summary>The state row; null when nothing was ever written (the primary is active).</summary>
    public async Task<FailoverSnapshot?> ReadAsync(CancellationToken ct)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(InstanceId, StateRowKey, cancellationToken: ct);
        if (!response.HasValue) return null;
        var e = response.Value!;
        return new FailoverSnapshot(ToRecord(e), e.ETag);
    }

    /// <summary>
    /// Writes <paramref name="next"/> and the given history rows in one transaction, if the state row still has
    /// <paramref name="expected"/> (null: the row must not exist yet). Returns the new ETag, or null when another
    /// writer got there first (nothing was written).
    /// </summary>
    public async Task<ETag?> TryWriteAsync(FailoverRecord next, ETag? expected, FailoverRun? run, IReadOnlyList<FailoverStep> steps, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(steps);
        var actions = new List<TableTransactionAction>(2 + steps.Count)
        {
            expected is { } etag
                ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(next), etag)
                : new TableTransactionAction(TableTransactionActionType.Add, ToEntity(next)),
        };
        if (run is not null) actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(run)));
        actions.AddRange(steps.Select(s => new TableTransactionAction(TableTransactionActionType.Add, ToEntity(s))));
        try
        {
            var response = await table.SubmitTransactionAsync(actions, ct);
            var written = response.Value[0].Headers.ETag;
            if (written is { } tag) return tag;
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 412 or 409)
        {
            return null;
        }
        // The service gave no ETag for the batch item: read it back; the owner token proves the row is still ours.
        var again = await ReadAsync(ct);
        return again is not null && again.Record.Version == next.Version && again.Record.Run?.Owner == next.Run?.Owner ? again.ETag : null;
    }

    /// <summary>A run row outside any state change: a dry-run or a refusal (they change nothing).</summary>
    public async Task AddRunAsync(FailoverRun run, IReadOnlyList<FailoverStep> steps, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.Add, ToEntity(run)) };
        actions.AddRange(steps.Select(s => new TableTransactionAction(TableTransactionActionType.Add, ToEntity(s))));
        await table.SubmitTransactionAsync(actions, ct);
    }

    /// <summary>Runs, newest first.</summary>
    public async Task<IReadOnlyList<FailoverRun>> ReadRunsAsync(int limit, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {InstanceId} and RowKey ge {RunPrefix} and RowKey lt {"run}"}");
        var result = new List<FailoverRun>(limit);
        await foreach (var e in table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(limit, 1000), cancellationToken: ct))
        {
            result.Add(ToRun(e));
            if (result.Count == limit) break;
        }
        return result;
    }

    /// <summary>The steps of one run, in the order they happened.</summary>
    public async Task<IReadOnlyList<FailoverStep>> ReadStepsAsync(string runId, CancellationToken ct) =>
        (await ReadStepsAsync([runId], ct))[runId];

    /// <summary>
    /// The steps of several runs (GET /api/failover/history lists up to 100), each run's in the order they
    /// happened, with ONE range query instead of one per run. Step rows (<c>step|runId|seq</c>) sort by run id,
    /// and a run id starts with the run's start time, so the steps of the listed runs lie between the smallest and
    /// the largest of their keys; rows of a run inside that range but not asked for (one that started in the same
    /// window but was not listed) are skipped. Every asked-for run has an entry, empty when it has no steps.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<FailoverStep>>> ReadStepsAsync(IReadOnlyCollection<string> runIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(runIds);
        var found = new Dictionary<string, List<FailoverStep>>(StringComparer.Ordinal);
        foreach (var id in runIds)
        {
            // '|' separates the key's parts: an id holding one could make another run's prefix (and a run id never has one).
            if (string.IsNullOrEmpty(id) || id.Contains('|', StringComparison.Ordinal)) throw new ArgumentException($"'{id}' is not a run id.", nameof(runIds));
            found.TryAdd(id, []);
        }
        if (found.Count > 0)
        {
            var prefixes = found.Keys.Select(StepKeyPrefix).ToList();
            var from = prefixes.Min(StringComparer.Ordinal)!;
            var to = prefixes.Max(StringComparer.Ordinal)! + "~"; // after every sequence number under the largest prefix
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {InstanceId} and RowKey gt {from} and RowKey lt {to}");
            await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            {
                var step = ToStep(e);
                if (found.TryGetValue(step.RunId, out var steps)) steps.Add(step);
            }
        }
        return found.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<FailoverStep>)[.. kv.Value.OrderBy(s => s.Sequence)], StringComparer.Ordinal);
    }

    private static string StepKeyPrefix(string runId) => $"{StepPrefix}{runId}|";

    private static long _sequence;

    /// <summary>
    /// A new run id: its start time, then a per-process sequence counting down (so within one millisecond the
    /// newer run still sorts first in history), then random characters for uniqueness across processes.
    /// </summary>
    public static string NewRunId(DateTimeOffset at)
    {
        var down = 999_999 - (Interlocked.Increment(ref _sequence) % 1_000_000);
        return $"{at.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff", CultureInfo.InvariantCulture)}-{down.ToString("D6", CultureInfo.InvariantCulture)}{Guid.NewGuid().ToString("N")[..4]}";
    }

    private static string RunRowKey(FailoverRun run) =>
        $"{RunPrefix}{(long.MaxValue - run.StartedAt.UtcTicks).ToString("D19", CultureInfo.InvariantCulture)}|{run.RunId}";

    private TableEntity ToEntity(FailoverRecord r) => new(InstanceId, StateRowKey)
    {
        ["State"] = r.State.ToWire(),
        ["ActiveSite"] = r.ActiveSite,
        ["Run"] = r.Run is null ? null : JsonSerializer.Serialize(r.Run, FailoverJsonContext.Default.RunClaim),
        ["LastSwitchAt"] = r.Counters.LastSwitchAt,
        ["CounterDay"] = r.Counters.Day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["FailoversThatDay"] = r.Counters.FailoversThatDay,
        ["LastRunId"] = r.LastRunId,
        ["Version"] = r.Version,
    };

    private static FailoverRecord ToRecord(TableEntity e)
    {
        var run = e.GetString("Run") is { Length: > 0 } json ? JsonSerializer.Deserialize(json, FailoverJsonContext.Default.RunClaim) : null;
        var day = e.GetString("CounterDay") is { } d ? DateOnly.ParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture) : (DateOnly?)null;
        return new FailoverRecord(
            WireNames<FailoverState>.Parse(e.GetString("State") ?? ""),
            e.GetString("ActiveSite") ?? throw new InvalidDataException("The failover state row has no ActiveSite."),
            run,
            new FailoverCounters(e.GetDateTimeOffset("LastSwitchAt"), day, e.GetInt32("FailoversThatDay") ?? 0),
            e.GetString("LastRunId"),
            e.GetInt64("Version") ?? 0);
    }

    private TableEntity ToEntity(FailoverRun r) => new(InstanceId, RunRowKey(r))
    {
        ["RunId"] = r.RunId,
        ["Kind"] = r.Kind.ToWire(),
        ["FromSite"] = r.FromSite,
        ["ToSite"] = r.ToSite,
        ["Actor"] = r.Actor,
        ["Reason"] = r.Reason,
        ["DryRun"] = r.DryRun,
        ["Forced"] = r.Forced,
        ["Automatic"] = r.Automatic,
        ["StartedAt"] = r.StartedAt,
        ["EndedAt"] = r.EndedAt,
        ["Outcome"] = r.Outcome.ToWire(),
        ["Detail"] = Cut(r.Detail),
    };

    private static FailoverRun ToRun(TableEntity e) => new(
        e.GetString("RunId") ?? "",
        WireNames<FailoverKind>.Parse(e.GetString("Kind") ?? ""),
        e.GetString("FromSite") ?? "",
        e.GetString("ToSite") ?? "",
        e.GetString("Actor") ?? "",
        e.GetString("Reason") ?? "",
        e.GetBoolean("DryRun") ?? false,
        e.GetBoolean("Forced") ?? false,
        e.GetBoolean("Automatic") ?? false,
        e.GetDateTimeOffset("StartedAt") ?? DateTimeOffset.MinValue,
        e.GetDateTimeOffset("EndedAt"),
        WireNames<RunOutcome>.Parse(e.GetString("Outcome") ?? ""),
        e.GetString("Detail") ?? "");

    private TableEntity ToEntity(FailoverStep s) => new(InstanceId, StepKeyPrefix(s.RunId) + s.Sequence.ToString("D4", CultureInfo.InvariantCulture))
    {
        ["RunId"] = s.RunId,
        ["Sequence"] = s.Sequence,
        ["Name"] = s.Name,
        ["Kind"] = s.Kind,
        ["Phase"] = s.Phase,
        ["Outcome"] = s.Outcome.ToWire(),
        ["Detail"] = Cut(s.Detail),
        ["DurationMs"] = s.DurationMs,
        ["At"] = s.At,
        ["Actor"] = s.Actor,
    };

    private static FailoverStep ToStep(TableEntity e) => new(
        e.GetString("RunId") ?? "",
        e.GetInt32("Sequence") ?? 0,
        e.GetString("Name") ?? "",
        e.GetString("Kind") ?? "",
        e.GetString("Phase") ?? "",
        WireNames<StepOutcome>.Parse(e.GetString("Outcome") ?? ""),
        e.GetString("Detail") ?? "",
        e.GetInt64("DurationMs") ?? 0,
        e.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue,
        e.GetString("Actor") ?? "");

    /// <summary>A table string property holds at most 32K characters; details are cut well below.</summary>
    private static string Cut(string text) => text.Length <= 4000 ? text : text[..3997] + "...";
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(RunClaim))]
internal sealed partial class FailoverJsonContext : JsonSerializerContext;
