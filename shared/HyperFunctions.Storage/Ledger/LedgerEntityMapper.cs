using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using HyperFunctions.Domain;
using HyperFunctions.Domain.Safety;

namespace HyperFunctions.Storage.Ledger;

/// <summary>Maps safety state and history to table entities. Names on disk are the runbook wire names.</summary>
internal static class LedgerEntityMapper
{
    public const string StateRowKey = "state";
    public const string SchemaRowKey = "schema";
    public const string HistoryPrefix = "h-";
    /// <summary>Just past every history row key ('-' + 1 = '.').</summary>
    public const string HistoryEnd = "h.";

    /// <summary>History row keys sort newest first: the key holds long.MaxValue − version.</summary>
    public static string HistoryRowKey(long version) =>
        HistoryPrefix + (long.MaxValue - version).ToString("D19", CultureInfo.InvariantCulture);

    public static TableEntity ToStateEntity(string instance, SafetyState state) => new(instance, StateRowKey)
    {
        ["Mode"] = state.Mode.ToWire(),
        ["Reason"] = state.Reason.ToWire(),
        ["Message"] = state.Message,
        ["Actor"] = state.Actor,
        ["Since"] = state.Since,
        ["UpdatedAt"] = state.UpdatedAt,
        ["Version"] = state.Version,
        ["ConfigHash"] = state.ConfigHash,
        ["Conditions"] = JsonSerializer.Serialize(state.Conditions.Select(c => new StoredCondition(c.Reason.ToWire(), c.Level.ToWire(), c.RaisedAt, c.ModeBefore.ToWire())).ToArray(), LedgerJsonContext.Default.StoredConditionArray),
    };

    public static SafetyState ToState(TableEntity e)
    {
        var stored = JsonSerializer.Deserialize(e.GetString("Conditions") ?? "[]", LedgerJsonContext.Default.StoredConditionArray) ?? [];
        return new SafetyState(
            WireNames<SafetyMode>.Parse(Required(e, "Mode")),
            WireNames<ReasonCode>.Parse(Required(e, "Reason")),
            e.GetString("Message") ?? string.Empty,
            e.GetString("Actor") ?? string.Empty,
            e.GetDateTimeOffset("Since") ?? throw Missing(e, "Since"),
            e.GetDateTimeOffset("UpdatedAt") ?? throw Missing(e, "UpdatedAt"),
            e.GetInt64("Version") ?? throw Missing(e, "Version"),
            e.GetString("ConfigHash") ?? string.Empty,
            [.. stored.Select(c => new SafetyCondition(WireNames<ReasonCode>.Parse(c.Reason), WireNames<SafetyMode>.Parse(c.Level), c.RaisedAt, WireNames<SafetyMode>.Parse(c.ModeBefore)))]);
    }

    public static TableEntity ToHistoryEntity(string instance, SafetyTransition t) => new(instance, HistoryRowKey(t.Version))
    {
        ["Version"] = t.Version,
        ["From"] = t.From?.ToWire() ?? string.Empty,
        ["To"] = t.To.ToWire(),
        ["Reason"] = t.Reason.ToWire(),
        ["Message"] = t.Message,
        ["Actor"] = t.Actor,
        ["At"] = t.At,
        ["ConfigHash"] = t.ConfigHash,
        ["Kind"] = t.Kind,
    };

    public static SafetyTransition ToTransition(TableEntity e)
    {
        var from = e.GetString("From");
        return new SafetyTransition(
            e.GetInt64("Version") ?? throw Missing(e, "Version"),
            string.IsNullOrEmpty(from) ? null : WireNames<SafetyMode>.Parse(from),
            WireNames<SafetyMode>.Parse(Required(e, "To")),
            WireNames<ReasonCode>.Parse(Required(e, "Reason")),
            e.GetString("Message") ?? string.Empty,
            e.GetString("Actor") ?? string.Empty,
            e.GetDateTimeOffset("At") ?? throw Missing(e, "At"),
            e.GetString("ConfigHash") ?? string.Empty,
            e.GetString("Kind") ?? string.Empty);
    }

    public static TableEntity ToSchemaEntity(string instance, int version) => new(instance, SchemaRowKey) { ["SchemaVersion"] = version };

    private static string Required(TableEntity e, string name) => e.GetString(name) ?? throw Missing(e, name);

    private static InvalidDataException Missing(TableEntity e, string name) =>
        new($"Ledger row {e.PartitionKey}/{e.RowKey} has no '{name}'.");
}

internal sealed record StoredCondition(string Reason, string Level, DateTimeOffset RaisedAt, string ModeBefore);

[System.Text.Json.Serialization.JsonSerializable(typeof(StoredCondition[]))]
internal sealed partial class LedgerJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
