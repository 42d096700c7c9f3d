using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HyperFunctions.Functions.Tests;

/// <summary>
/// Builds invocation payloads the way the Functions host builds them for a custom handler, as read in
/// Azure/azure-functions-host (see docs/architecture.md, "Custom-handler payloads"):
/// <list type="bullet">
/// <item>every string or number value (the trigger value and each metadata entry) is serialized to JSON text,
/// and that text travels as a JSON string, so a string gains inner quotes and a number becomes a string;</item>
/// <item>dates and objects are sent once (a date as an ISO string, an object as an object);</item>
/// <item>for a JSON-object message, its top-level properties that are not arrays or null overwrite the
/// metadata entries of the same name (ignoring case), objects as objects and everything else as text;</item>
/// <item>keys ending in "Trigger" (the raw trigger value) are not sent as metadata.</item>
/// </list>
/// </summary>
internal static class HostShapedPayloads
{
    // The host's serializer writes non-ASCII as is; System.Text.Json's default would escape it. Both decode the same.
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static readonly DateTimeOffset Inserted = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    /// <summary>A queue invocation carrying <paramref name="message"/> for the binding <paramref name="binding"/>.</summary>
    public static string Queue(string binding, string message, long dequeueCount = 1, string id = "800ae4b3-8d4b-4fa2-9c7e-3b5d2a1f0c11", string popReceipt = "AgAAAAMAAAAAAAAAQ+2j7yW52gE=")
    {
        var metadata = new JsonObject
        {
            ["DequeueCount"] = Twice(dequeueCount),
            ["ExpirationTime"] = Once(Inserted.AddDays(7)),
            ["Id"] = Twice(id),
            ["InsertionTime"] = Once(Inserted),
            ["NextVisibleTime"] = Once(Inserted.AddMinutes(10)),
            ["PopReceipt"] = Twice(popReceipt),
        };
        MergeMessageProperties(message, metadata);
        metadata["sys"] = Sys(binding);
        return new JsonObject { ["Data"] = new JsonObject { [binding] = Twice(message) }, ["Metadata"] = metadata }.ToJsonString(Relaxed);
    }

    /// <summary>A timer invocation: the timer info is an object, sent once; ScheduleStatus may be null.</summary>
    public static string Timer(string binding, bool isPastDue, JsonObject? scheduleStatus) =>
        new JsonObject
        {
            ["Data"] = new JsonObject
            {
                [binding] = new JsonObject { ["Schedule"] = new JsonObject { ["AdjustForDST"] = true }, ["ScheduleStatus"] = scheduleStatus, ["IsPastDue"] = isPastDue },
            },
            ["Metadata"] = new JsonObject { ["sys"] = Sys("timer") },
        }.ToJsonString(Relaxed);

    /// <summary>A string value as the host sends it: its JSON encoding, as a JSON string.</summary>
    public static JsonNode Twice(string value) => JsonValue.Create(JsonSerializer.Serialize(value, Relaxed));

    /// <summary>A number as the host sends it: its JSON text, as a JSON string.</summary>
    public static JsonNode Twice(long value) => JsonValue.Create(value.ToString(CultureInfo.InvariantCulture));

    private static JsonNode Once(DateTimeOffset value) => JsonValue.Create(value.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture));

    private static JsonObject Sys(string method) => new()
    {
        ["MethodName"] = method,
        ["UtcNow"] = "2026-11-23T10:00:00.1234567Z",
        ["RandGuid"] = "0f8fad5b-d9cb-469f-a165-70867728950e",
    };

    private static void MergeMessageProperties(string message, JsonObject metadata)
    {
        var trimmed = message.Trim();
        if (!(trimmed.StartsWith('{') && trimmed.EndsWith('}'))) return;
        JsonObject parsed;
        try
        {
            if (JsonNode.Parse(message) is not JsonObject o) return;
            parsed = o;
        }
        catch (JsonException)
        {
            return;
        }
        foreach (var (name, value) in parsed)
        {
            if (value is null or JsonArray) continue;
            var key = metadata.Select(kv => kv.Key).FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)) ?? name;
            metadata[key] = value is JsonObject obj ? obj.DeepClone() : Twice(AsText(value));
        }
    }

    /// <summary>A JSON scalar as text, as the host converts it: a string as is, a number as written, a boolean as True/False.</summary>
    private static string AsText(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.True => "True",
        JsonValueKind.False => "False",
        _ => value.ToJsonString(),
    };
}
