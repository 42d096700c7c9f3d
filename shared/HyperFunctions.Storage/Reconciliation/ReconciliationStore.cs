using System.Globalization;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using HyperFunctions.Domain;
using HyperFunctions.Domain.Reconciliation;

namespace HyperFunctions.Storage.Reconciliation;

/// <summary>A baseline as read, with the ETag a replacement must match.</summary>
public sealed record StoredBaseline(PositionBaseline Baseline, ETag ETag);

/// <summary>
/// ReconciliationCheck's table (Reconciliation:Table). Partition <c>{instance}</c>: the accepted baseline
/// (row <c>baseline</c>) and one audit row per change of it (<c>audit-{inverted ticks}-{suffix}</c>, newest
/// first), written in one entity-group transaction so a baseline never changes without its audit record;
/// the baseline is created only if absent and replaced only with the ETag it was read with (single
/// writer, no lost update). Partition <c>{instance}|reports</c>: one row per run keyed by the report id
/// (inverted ticks: the first row is the latest). Sizes travel as invariant decimal strings.
/// </summary>
public sealed class ReconciliationStore(TableClient table, string instanceId)
{
    private const string BaselineRow = "baseline";
    private const string AuditPrefix = "audit-";
    private readonly string _reports = instanceId + "|reports";
    private bool _ready;

    public async Task<StoredBaseline?> ReadBaselineAsync(CancellationToken ct)
    {
        await EnsureTableAsync(ct);
        var found = await table.GetEntityIfExistsAsync<TableEntity>(instanceId, BaselineRow, cancellationToken: ct);
        if (!found.HasValue || found.Value is not { } e) return null;
        var baseline = new PositionBaseline(
            ReadSizes(e.GetString("Sizes")), e.GetInt64("AsOfMs") ?? 0, e.GetString("Source") ?? "", e.GetString("ReportId"),
            e.GetString("Actor") ?? "", e.GetDateTimeOffset("TakenAt") ?? DateTimeOffset.MinValue, e.GetString("FillCursor"));
        return new StoredBaseline(baseline, e.ETag);
    }

    /// <summary>Creates the first baseline with its audit record; false when another writer created one first.</summary>
    public Task<bool> TryCreateBaselineAsync(PositionBaseline baseline, ReconciliationAudit audit, CancellationToken ct) =>
        SubmitAsync(new TableTransactionAction(TableTransactionActionType.Add, ToEntity(baseline)), audit, ct);

    /// <summary>Replaces the baseline read with <paramref name="etag"/>, with its audit record; false when it changed since.</summary>
    public Task<bool> TryReplaceBaselineAsync(PositionBaseline baseline, ETag etag, ReconciliationAudit audit, CancellationToken ct) =>
        SubmitAsync(new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(baseline), etag), audit, ct);

    public async Task WriteReportAsync(ReconciliationReport report, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(report);
        await EnsureTableAsync(ct);
        var e = new TableEntity(_reports, report.Id)
        {
            ["At"] = report.At,
            ["VenueTimeMs"] = report.VenueTimeMs,
            ["Account"] = report.Account,
            ["Kind"] = report.Kind,
            ["Mode"] = report.Mode,
            ["Verdict"] = WireNames<ReconciliationVerdict>.ToWire(report.Verdict),
            ["BaselineAsOfMs"] = report.BaselineAsOfMs,
            ["BaselineSource"] = report.BaselineSource,
            ["FillsCounted"] = report.FillsCounted,
            ["LastFillKey"] = report.LastFillKey,
            ["Symbols"] = Cut(SymbolsJson(report.Symbols).ToJsonString()),
            ["Adopted"] = report.Adopted,
            ["Note"] = report.Note is null ? null : Cut(report.Note),
            ["Writer"] = report.Writer,
        };
        await table.UpsertEntityAsync(e, TableUpdateMode.Replace, ct);
    }

    /// <summary>The newest report, or null before the first run.</summary>
    public async Task<ReconciliationReport?> ReadLatestReportAsync(CancellationToken ct)
    {
        await EnsureTableAsync(ct);
        await foreach (var e in table.QueryAsync<TableEntity>(x => x.PartitionKey == _reports, maxPerPage: 1, cancellationToken: ct))
            return ToReport(e);
        return null;
    }

    public async Task<ReconciliationReport?> ReadReportAsync(string id, CancellationToken ct)
    {
        await EnsureTableAsync(ct);
        var found = await table.GetEntityIfExistsAsync<TableEntity>(_reports, id, cancellationToken: ct);
        return found.HasValue && found.Value is { } e ? ToReport(e) : null;
    }

    /// <summary>Baseline changes, newest first.</summary>
    public async Task<IReadOnlyList<ReconciliationAudit>> ReadAuditAsync(int limit, CancellationToken ct)
    {
        await EnsureTableAsync(ct);
        var list = new List<ReconciliationAudit>();
        var from = AuditPrefix;
        var to = "audit.";
        await foreach (var e in table.QueryAsync<TableEntity>(x => x.PartitionKey == instanceId && x.RowKey.CompareTo(from) > 0 && x.RowKey.CompareTo(to) < 0, cancellationToken: ct))
        {
            list.Add(new ReconciliationAudit(
                e.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue, e.GetString("Action") ?? "", e.GetString("Actor") ?? "", e.GetString("ReportId"),
                e.GetString("Reason") ?? "", e.GetString("Before") is { } before ? ReadSizes(before) : null, ReadSizes(e.GetString("After")), e.GetInt64("AsOfMs") ?? 0));
            if (list.Count >= limit) break;
        }
        return list;
    }

    private async Task<bool> SubmitAsync(TableTransactionAction baseline, ReconciliationAudit audit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(audit);
        await EnsureTableAsync(ct);
        var rowKey = AuditPrefix + (DateTimeOffset.MaxValue.UtcTicks - audit.At.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];
        var auditRow = new TableEntity(instanceId, rowKey)
        {
            ["At"] = audit.At,
            ["Action"] = audit.Action,
            ["Actor"] = audit.Actor,
            ["ReportId"] = audit.ReportId,
            ["Reason"] = Cut(audit.Reason),
            ["Before"] = audit.Before is null ? null : SizesJson(audit.Before),
            ["After"] = SizesJson(audit.After),
            ["AsOfMs"] = audit.AsOfMs,
        };
        try
        {
            await table.SubmitTransactionAsync([baseline, new TableTransactionAction(TableTransactionActionType.Add, auditRow)], ct);
            return true;
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412)
        {
            return false; // created or replaced by another writer first; nothing was written
        }
    }

    private async Task EnsureTableAsync(CancellationToken ct)
    {
        if (_ready) return;
        await table.CreateIfNotExistsAsync(ct);
        _ready = true;
    }

    private TableEntity ToEntity(PositionBaseline b) => new(instanceId, BaselineRow)
    {
        ["Sizes"] = SizesJson(b.Sizes),
        ["AsOfMs"] = b.AsOfMs,
        ["Source"] = b.Source,
        ["ReportId"] = b.ReportId,
        ["Actor"] = b.Actor,
        ["TakenAt"] = b.TakenAt,
        ["FillCursor"] = b.FillCursor,
    };

    private static string SizesJson(IReadOnlyDictionary<string, decimal> sizes)
    {
        var o = new JsonObject();
        foreach (var (coin, size) in sizes.OrderBy(kv => kv.Key, StringComparer.Ordinal)) o[coin] = Str(size);
        return o.ToJsonString();
    }

    private static SortedDictionary<string, decimal> ReadSizes(string? json)
    {
        var sizes = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        if (JsonNode.Parse(json ?? "{}") is not JsonObject o) return sizes;
        foreach (var (coin, value) in o)
        {
            if (Dec((string?)value) is { } d) sizes[coin] = d;
        }
        return sizes;
    }

    private static JsonArray SymbolsJson(IReadOnlyList<SymbolReconciliation> symbols) =>
        new(symbols.Select(s => (JsonNode)new JsonObject
        {
            ["coin"] = s.Coin,
            ["venue"] = Str(s.Venue),
            ["local"] = Str(s.Local),
            ["drift"] = Str(s.Drift),
            ["relative"] = Str(decimal.Round(s.Relative, 10)),
            ["observed"] = WireNames<ReconciliationVerdict>.ToWire(s.Observed),
            ["verdict"] = WireNames<ReconciliationVerdict>.ToWire(s.Verdict),
            ["streak"] = s.Streak,
        }).ToArray());

    private static ReconciliationReport? ToReport(TableEntity e)
    {
        try
        {
            if (!WireNames<ReconciliationVerdict>.TryParse(e.GetString("Verdict"), out var verdict)) return null;
            var symbols = new List<SymbolReconciliation>();
            foreach (var node in JsonNode.Parse(e.GetString("Symbols") ?? "[]")!.AsArray().OfType<JsonObject>())
            {
                if (!WireNames<ReconciliationVerdict>.TryParse((string?)node["observed"], out var observed)
                    || !WireNames<ReconciliationVerdict>.TryParse((string?)node["verdict"], out var v)) continue;
                symbols.Add(new SymbolReconciliation((string?)node["coin"] ?? "", Dec((string?)node["venue"]) ?? 0, Dec((string?)node["local"]) ?? 0,
                    Dec((string?)node["drift"]) ?? 0, Dec((string?)node["relative"]) ?? 0, observed, v, (int?)node["streak"] ?? 0));
            }
            return new ReconciliationReport(
                e.RowKey, e.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue, e.GetInt64("VenueTimeMs") ?? 0, e.GetString("Account") ?? "",
                e.GetString("Kind") ?? ReportKinds.Comparison, e.GetString("Mode") ?? "", verdict, e.GetInt64("BaselineAsOfMs") ?? 0,
                e.GetString("BaselineSource") ?? "", e.GetInt32("FillsCounted") ?? 0, e.GetString("LastFillKey"), symbols,
                e.GetBoolean("Adopted") ?? false, e.GetString("Note"), e.GetString("Writer") ?? "");
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string Cut(string text) => text.Length <= 30_000 ? text : text[..30_000];

    private static string Str(decimal d) => d.ToString(CultureInfo.InvariantCulture);

    private static decimal? Dec(string? s) =>
        s is not null && decimal.TryParse(s, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var d) ? d : null;
}
