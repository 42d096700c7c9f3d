using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using HyperFunctions.Domain;
using HyperFunctions.Domain.Alerts;
using HyperFunctions.Domain.Checks;
using HyperFunctions.Domain.Safety;

namespace HyperFunctions.Storage.Checks;

/// <summary>
/// Each check's last result (table Checks:ResultsTable; partition = instance id, row = check name),
/// replaced on every run. Conditions, notices and data travel as JSON columns with wire names, so a
/// human reading the table sees what status shows. A row this build cannot read is skipped, not fatal.
/// </summary>
public sealed class CheckResultStore(TableClient table, string instanceId)
{
    private bool _ready;

    public async Task WriteAsync(CheckResult result, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(result);
        await EnsureTableAsync(ct);
        var entity = new TableEntity(instanceId, result.Check)
        {
            ["RanAt"] = result.RanAt,
            ["Trigger"] = result.Trigger,
            ["Health"] = WireNames<CheckHealth>.ToWire(result.Health),
            ["Summary"] = Cut(result.Summary),
            ["DurationMs"] = result.DurationMs,
            ["Conditions"] = Cut(ConditionsJson(result.Conditions).ToJsonString()),
            ["Notices"] = Cut(NoticesJson(result.Notices).ToJsonString()),
            ["Data"] = Cut(DataJson(result.Data).ToJsonString()),
            ["LastHealthyAt"] = result.LastHealthyAt,
            ["LastUnhealthyAt"] = result.LastUnhealthyAt,
            ["ConsecutiveUnhealthy"] = result.ConsecutiveUnhealthy,
            ["Writer"] = result.Writer,
        };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, ct);
    }

    public async Task<CheckResult?> ReadAsync(string check, CancellationToken ct)
    {
        await EnsureTableAsync(ct);
        var found = await table.GetEntityIfExistsAsync<TableEntity>(instanceId, check, cancellationToken: ct);
        return found.HasValue && found.Value is { } e ? ToResult(e) : null;
    }

    public async Task<IReadOnlyList<CheckResult>> ReadAllAsync(CancellationToken ct)
    {
        await EnsureTableAsync(ct);
        var results = new List<CheckResult>();
        await foreach (var e in table.QueryAsync<TableEntity>(x => x.PartitionKey == instanceId, cancellationToken: ct))
        {
            if (ToResult(e) is { } r) results.Add(r);
        }
        return results;
    }

    private async Task EnsureTableAsync(CancellationToken ct)
    {
        if (_ready) return;
        await table.CreateIfNotExistsAsync(ct);
        _ready = true;
    }

    // A table property holds at most 64 KiB (32 K UTF-16 chars); summaries and JSON are far smaller, but never fail a write over it.
    private static string Cut(string text) => text.Length <= 30_000 ? text : text[..30_000];

    private static JsonArray ConditionsJson(IReadOnlyList<CheckConditionRecord> conditions) =>
        new(conditions.Select(c => (JsonNode)new JsonObject
        {
            ["reason"] = c.Reason.ToWire(),
            ["holds"] = c.Holds,
            ["level"] = c.Level.ToWire(),
            ["alertLevel"] = (int)c.AlertLevel,
            ["message"] = c.Message,
            ["lastHeldAt"] = c.LastHeldAt?.ToString("O"),
        }).ToArray());

    private static JsonArray NoticesJson(IReadOnlyList<CheckNotice> notices) =>
        new(notices.Select(n => (JsonNode)new JsonObject
        {
            ["key"] = n.Key,
            ["active"] = n.Active,
            ["level"] = (int)n.Level,
            ["title"] = n.Title,
            ["detail"] = n.Detail,
        }).ToArray());

    private static JsonObject DataJson(IReadOnlyDictionary<string, string> data)
    {
        var o = new JsonObject();
        foreach (var (k, v) in data) o[k] = v;
        return o;
    }

    private static CheckResult? ToResult(TableEntity e)
    {
        try
        {
            if (!WireNames<CheckHealth>.TryParse(e.GetString("Health"), out var health)) return null;
            var conditions = new List<CheckConditionRecord>();
            foreach (var node in JsonNode.Parse(e.GetString("Conditions") ?? "[]")!.AsArray())
            {
                if (node is not JsonObject c) continue;
                if (!WireNames<ReasonCode>.TryParse((string?)c["reason"], out var reason) || !WireNames<SafetyMode>.TryParse((string?)c["level"], out var level)) continue;
                var lastHeld = (string?)c["lastHeldAt"];
                conditions.Add(new CheckConditionRecord(reason, (bool?)c["holds"] ?? false, level, ToLevel((int?)c["alertLevel"]), (string?)c["message"] ?? "",
                    lastHeld is null ? null : DateTimeOffset.Parse(lastHeld, System.Globalization.CultureInfo.InvariantCulture)));
            }
            var notices = JsonNode.Parse(e.GetString("Notices") ?? "[]")!.AsArray().OfType<JsonObject>()
                .Select(n => new CheckNotice((string?)n["key"] ?? "", (bool?)n["active"] ?? false, ToLevel((int?)n["level"]), (string?)n["title"] ?? "", (string?)n["detail"] ?? ""))
                .ToList();
            var data = (JsonNode.Parse(e.GetString("Data") ?? "{}") as JsonObject ?? [])
                .ToDictionary(kv => kv.Key, kv => kv.Value?.ToString() ?? "", StringComparer.Ordinal);
            return new CheckResult(e.RowKey, e.GetDateTimeOffset("RanAt") ?? DateTimeOffset.MinValue, e.GetString("Trigger") ?? "", health,
                e.GetString("Summary") ?? "", e.GetDouble("DurationMs") ?? 0, conditions, notices, data,
                e.GetDateTimeOffset("LastHealthyAt"), e.GetDateTimeOffset("LastUnhealthyAt"), e.GetInt32("ConsecutiveUnhealthy") ?? 0, e.GetString("Writer") ?? "");
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    private static AlertLevel ToLevel(int? value) => value is >= 1 and <= 4 ? (AlertLevel)value.Value : AlertLevel.Operations;
}
