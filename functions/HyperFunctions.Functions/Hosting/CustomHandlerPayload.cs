using System.Globalization;
using System.Text.Json;

namespace HyperFunctions.Functions.Hosting;

/// <summary>
/// One invocation as the Functions host POSTs it to /{FunctionName}: {"Data": {binding: value},
/// "Metadata": {...}}. Both shapes are read (docs/architecture.md, "Custom-handler payloads"):
/// <list type="bullet">
/// <item>the documented one, where values are plain JSON (the message text as a string, DequeueCount a number);</item>
/// <item>the one the host really sends, where every string or number value is JSON-encoded a second time
/// (the message text arrives as a JSON string holding the JSON encoding of the text, DequeueCount as "1",
/// Id as "\"...\""), while dates and objects (a timer's info, sys) are sent once.</item>
/// </list>
/// The message body is decoded exactly once. Metadata that a JSON message may have overwritten with
/// its own top-level properties is reported as unknown (null), not trusted.
/// </summary>
public sealed class CustomHandlerPayload
{
    /// <summary>Far above a queue message (64 KiB) or a timer's info; only the local host calls these routes.</summary>
    public const int MaxBytes = 1024 * 1024;

    private static readonly JsonDocumentOptions Strict = new() { MaxDepth = 64 };

    // Close to what the host's JSON parser accepts when it merges a message's properties into Metadata.
    private static readonly JsonDocumentOptions Lenient = new() { MaxDepth = 64, AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    private readonly JsonElement _data;
    private readonly JsonElement _metadata;

    private CustomHandlerPayload(JsonElement data, JsonElement metadata)
    {
        _data = data;
        _metadata = metadata;
    }

    /// <summary>Parses the request body; throws <see cref="InvalidInvocationException"/> when it is not an invocation.</summary>
    public static CustomHandlerPayload Parse(ReadOnlySpan<byte> utf8)
    {
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(utf8.ToArray(), Strict);
            root = doc.RootElement.Clone();
        }
        catch (Exception ex)
        {
            // Parsing bytes does no I/O: any exception here comes from the payload.
            throw new InvalidInvocationException($"The invocation payload is not JSON: {ex.Message}");
        }
        if (root.ValueKind != JsonValueKind.Object) throw new InvalidInvocationException("The invocation payload must be a JSON object.");
        var data = Find(root, "Data");
        if (data?.ValueKind != JsonValueKind.Object) throw new InvalidInvocationException("The invocation payload needs one 'Data' object.");
        var metadata = Find(root, "Metadata") is { ValueKind: JsonValueKind.Object } m ? m : default;
        return new CustomHandlerPayload(data.Value, metadata);
    }

    /// <summary>The trigger value of the named binding; throws when it is missing or null.</summary>
    public JsonElement Trigger(string bindingName, string functionName) =>
        Find(_data, bindingName) is { } value && value.ValueKind != JsonValueKind.Null
            ? value
            : throw new InvalidInvocationException($"'Data' has no '{bindingName}' (the trigger binding of {functionName}).");

    /// <summary>
    /// A timer's info: {"Schedule", "ScheduleStatus", "IsPastDue"}. ScheduleStatus is null when the host
    /// keeps no schedule monitor (sub-minute schedules, useMonitor false) and its Last may be
    /// 0001-01-01; neither is needed, so any shape runs the function. Only IsPastDue is read.
    /// </summary>
    public TimerInvocation ToTimer(string bindingName, string functionName, DateTimeOffset now)
    {
        var info = Trigger(bindingName, functionName);
        if (info.ValueKind == JsonValueKind.String && TryReadString(info) is { } text && TryParseObject(DecodeOnceIfEncoded(text), out var parsed)) info = parsed;
        var pastDue = info.ValueKind == JsonValueKind.Object && Find(info, "IsPastDue") is { } flag
            && (flag.ValueKind == JsonValueKind.True
                || flag.ValueKind == JsonValueKind.String && TryReadString(flag) is { } word && bool.TryParse(DecodeOnceIfEncoded(word), out var b) && b);
        return new TimerInvocation(now, pastDue);
    }

    /// <summary>A queue message: its text decoded exactly once, and the metadata the host could vouch for.</summary>
    public QueueInvocation ToQueue(string bindingName, string functionName)
    {
        var trigger = Trigger(bindingName, functionName);
        var hostEncoded = IsHostEncoded(trigger);
        string body;
        if (trigger.ValueKind == JsonValueKind.String)
        {
            var text = ReadString(trigger, "The queue message");
            body = hostEncoded && TryDecodeJsonString(text, out var inner) ? inner : text;
        }
        else
        {
            // A message already parsed into JSON (an object, array, number or boolean): its JSON text.
            try
            {
                body = trigger.GetRawText();
            }
            catch (InvalidOperationException)
            {
                throw new InvalidInvocationException("The queue message is not valid Unicode text.");
            }
        }

        var shadowed = MessageProperties(body);
        bool Trusted(string key) => shadowed is not null && !shadowed.Contains(key); // else the message may have overwritten it
        string? Meta(string key)
        {
            if (!Trusted(key) || Find(_metadata, key) is not { ValueKind: JsonValueKind.String } value) return null;
            var text = TryReadString(value);
            return text is not null && hostEncoded && TryDecodeJsonString(text, out var inner) ? inner : text;
        }

        long? dequeueCount = Trusted("DequeueCount") && Find(_metadata, "DequeueCount") is { ValueKind: JsonValueKind.Number } n
            ? (n.TryGetInt64(out var number) ? number : null)
            : (long.TryParse(Meta("DequeueCount"), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : null);
        DateTimeOffset? inserted = DateTimeOffset.TryParse(Meta("InsertionTime"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
        return new QueueInvocation(Meta("Id") is { Length: > 0 } id ? id : null, body, dequeueCount is >= 1 ? dequeueCount : null, inserted);
    }

    /// <summary>
    /// Which shape this invocation has. The host sends DequeueCount as a string and the documented shape
    /// as a number; failing that, the host's Id carries inner quotes; failing both (a trigger without
    /// metadata), a trigger value that is itself a JSON string literal is the host's encoding.
    /// </summary>
    private bool IsHostEncoded(JsonElement trigger)
    {
        if (Find(_metadata, "DequeueCount") is { } count)
        {
            if (count.ValueKind == JsonValueKind.Number) return false;
            if (count.ValueKind == JsonValueKind.String) return true;
        }
        if (Find(_metadata, "Id") is { ValueKind: JsonValueKind.String } id && TryReadString(id) is { } text) return text.StartsWith('"');
        return trigger.ValueKind == JsonValueKind.String && TryReadString(trigger) is { } value && TryDecodeJsonString(value, out _);
    }

    /// <summary>
    /// The names the host merges into Metadata from a JSON message: its top-level properties that are not
    /// arrays or null. Empty for a message that is not a JSON object; null when it looks like one but
    /// cannot be read here, since the host's more lenient parser may still have merged it.
    /// </summary>
    private static HashSet<string>? MessageProperties(string body)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var trimmed = body.AsSpan().Trim();
        if (!(trimmed.StartsWith('{') && trimmed.EndsWith('}'))) return names;
        try
        {
            using var doc = JsonDocument.Parse(body, Lenient);
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind is not (JsonValueKind.Array or JsonValueKind.Null)) names.Add(property.Name);
            }
            return names;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The one property whose name matches ignoring case; none when it is missing or given more than once.</summary>
    private static JsonElement? Find(JsonElement obj, string name)
    {
        if (obj.ValueKind != JsonValueKind.Object) return null;
        JsonElement? found = null;
        foreach (var property in obj.EnumerateObject())
        {
            string candidate;
            try
            {
                candidate = property.Name;
            }
            catch (InvalidOperationException)
            {
                continue; // a name that is not valid Unicode cannot be one we look for
            }
            if (!string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase)) continue;
            if (found is not null) return null; // ambiguous: trust neither
            found = property.Value;
        }
        return found;
    }

    private static string ReadString(JsonElement value, string what) =>
        TryReadString(value) ?? throw new InvalidInvocationException($"{what} is not valid Unicode text.");

    private static string? TryReadString(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string DecodeOnceIfEncoded(string text) => TryDecodeJsonString(text, out var inner) ? inner : text;

    /// <summary>True when the text is exactly one JSON string literal ("..."); gives its content.</summary>
    internal static bool TryDecodeJsonString(string text, out string decoded)
    {
        decoded = "";
        if (text.Length < 2 || text[0] != '"' || text[^1] != '"') return false;
        try
        {
            using var doc = JsonDocument.Parse(text, Strict);
            if (doc.RootElement.ValueKind != JsonValueKind.String) return false;
            decoded = doc.RootElement.GetString()!;
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            return false;
        }
    }

    private static bool TryParseObject(string text, out JsonElement value)
    {
        value = default;
        try
        {
            using var doc = JsonDocument.Parse(text, Strict);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return false;
            value = doc.RootElement.Clone();
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            return false;
        }
    }
}

/// <summary>The host sent something that is not an invocation of this function: answered 400 (a failed invocation).</summary>
public sealed class InvalidInvocationException(string message) : Exception(message);
