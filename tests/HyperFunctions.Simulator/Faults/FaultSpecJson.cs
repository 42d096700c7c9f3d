using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HyperFunctions.Simulator;

/// <summary>
/// Reads a fault from the control API's JSON, e.g.
/// <c>{"kind":"latency","latencyMs":2000,"target":"ws","count":5}</c> or <c>{"kind":"rateLimit","count":3,"retryAfterSeconds":2}</c>.
/// </summary>
internal static class FaultSpecJson
{
    public static bool TryParse(JsonObject json, out FaultSpec? spec, out string? error)
    {
        spec = null;
        error = null;
        try
        {
            var kindText = String(json, "kind") ?? throw new FormatException("\"kind\" is required.");
            if (!Enum.TryParse<FaultKind>(kindText, ignoreCase: true, out var kind) || int.TryParse(kindText, CultureInfo.InvariantCulture, out _))
            {
                throw new FormatException($"Unknown kind '{kindText}'. Known: {string.Join(", ", Enum.GetNames<FaultKind>().Select(Camel))}.");
            }

            var parsed = new FaultSpec(kind)
            {
                Count = Int(json, "count"),
                Duration = Millis(json, "durationMs"),
                Latency = Millis(json, "latencyMs") ?? TimeSpan.Zero,
                Target = Target(String(json, "target")),
                RetryAfter = Double(json, "retryAfterSeconds") is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
                StatusCode = Int(json, "statusCode") ?? 503,
                Message = String(json, "message"),
                CloseStatus = (WebSocketCloseStatus)(Int(json, "closeStatus") ?? (int)WebSocketCloseStatus.EndpointUnavailable),
                CloseReason = String(json, "closeReason") ?? "goodbye",
                User = String(json, "user"),
                Coin = String(json, "coin"),
                Delta = Decimal(json, "delta") ?? 0m,
                InfoType = String(json, "infoType"),
            };
            parsed.Validate();
            spec = parsed;
            return true;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException or OverflowException)
        {
            error = ex.Message;
            return false;
        }
    }

    public static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    private static FaultTarget Target(string? text) => text?.ToUpperInvariant() switch
    {
        null or "ALL" => FaultTarget.All,
        "REST" => FaultTarget.Rest,
        "WS" or "WEBSOCKET" => FaultTarget.WebSocket,
        _ => throw new FormatException($"Unknown target '{text}' (all, rest, ws)."),
    };

    private static string? String(JsonObject json, string name) => json[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw new FormatException($"\"{name}\" must be a string."),
    };

    private static int? Int(JsonObject json, string name) => json[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out int i) => i,
        _ => throw new FormatException($"\"{name}\" must be an integer."),
    };

    private static double? Double(JsonObject json, string name) => json[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>(),
        _ => throw new FormatException($"\"{name}\" must be a number."),
    };

    private static TimeSpan? Millis(JsonObject json, string name) => Double(json, name) is { } ms ? TimeSpan.FromMilliseconds(ms) : null;

    private static decimal? Decimal(JsonObject json, string name) => json[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<decimal>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String && decimal.TryParse(v.GetValue<string>(), NumberStyles.Number, CultureInfo.InvariantCulture, out var d) => d,
        _ => throw new FormatException($"\"{name}\" must be a number or a decimal string."),
    };
}
