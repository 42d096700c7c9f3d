using System.Text.Json;
using System.Text.Json.Serialization;

namespace HyperFunctions.Storage.Alerts;

/// <summary>
/// One notification of one alert for one channel: the body of one message on the deliveries queue.
/// On the queue it travels inside ONE envelope property, <c>{"delivery": {...}}</c>: under the Functions host the
/// top-level properties of a JSON queue message are merged into the invocation's Metadata and would overwrite
/// Id, DequeueCount and the like (see QueueInvocation in the function app).
/// </summary>
/// <param name="DeliveryId">{alertId}:{sequence}:{channel}: the same delivery enqueued twice (a retried outbox) has the same id.</param>
/// <param name="Action">TRIGGER, ESCALATE, RENOTIFY or RESOLVE.</param>
/// <param name="Status">What receivers see: <c>triggered</c> (every action but RESOLVE) or <c>resolved</c>.</param>
/// <param name="At">When the condition was observed (the signal's time).</param>
/// <param name="NotifiedAt">When the pipeline decided this notification.</param>
public sealed record AlertDelivery(
    string DeliveryId,
    string AlertId,
    string Key,
    string Channel,
    string Action,
    int Level,
    string Status,
    string Title,
    string Detail,
    string Source,
    DateTimeOffset At,
    DateTimeOffset OpenedAt,
    DateTimeOffset NotifiedAt,
    string Instance,
    long Sequence)
{
    public const string Triggered = "triggered";
    public const string Resolved = "resolved";

    public bool IsResolve => Status == Resolved;

    /// <summary>The queue message text: <c>{"delivery": {...}}</c>.</summary>
    public string ToMessage() => JsonSerializer.Serialize(new AlertDeliveryEnvelope(this), AlertJsonContext.Default.AlertDeliveryEnvelope);

    /// <summary>Reads a queue message; throws <see cref="InvalidDataException"/> when it is not a delivery.</summary>
    public static AlertDelivery FromMessage(string text)
    {
        AlertDeliveryEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize(text, AlertJsonContext.Default.AlertDeliveryEnvelope);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The message is not an alert delivery: {ex.Message}", ex);
        }
        var d = envelope?.Delivery ?? throw new InvalidDataException("The message has no 'delivery' object.");
        if (string.IsNullOrEmpty(d.Key) || string.IsNullOrEmpty(d.Channel) || string.IsNullOrEmpty(d.DeliveryId) || d.Level is < 1 or > 4)
            throw new InvalidDataException("The delivery lacks its key, channel or id, or its level is not 1-4.");
        return d;
    }
}

public sealed record AlertDeliveryEnvelope(AlertDelivery Delivery);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(AlertDeliveryEnvelope))]
internal sealed partial class AlertJsonContext : JsonSerializerContext;
