using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Storage.Queues;
using HyperFunctions.Domain.Execution;

namespace HyperFunctions.Functions.Execution;

/// <summary>
/// The queue message of an order intent: ONE top-level property, <c>intent</c>. Under the Functions host
/// the top-level properties of a JSON message are merged into the invocation's Metadata and overwrite keys
/// such as Id or DequeueCount (see <see cref="Hosting.QueueInvocation"/>), so nothing else sits at the top.
/// </summary>
public sealed record OrderIntentMessage(OrderIntentWire Intent)
{
    public const string QueueName = "order-intents";

    public static OrderIntentMessage From(OrderIntent i) => new(new OrderIntentWire(
        i.Cloid, i.SourceKey, i.Coin, i.IsBuy ? "buy" : "sell", Text(i.Size)!, i.Type == OrderType.Limit ? "limit" : "market",
        Text(i.LimitPrice), Text(i.Slippage), i.Tif.ToString(), i.ReduceOnly));

    public string ToJson() => JsonSerializer.Serialize(this, ExecutionJsonContext.Default.OrderIntentMessage);

    /// <summary>The intent in a message body, validated as a POST body is; null with the reason when it is not one.</summary>
    public static (OrderIntent? Intent, string? Error) Parse(string body)
    {
        OrderIntentMessage? message;
        try
        {
            message = JsonSerializer.Deserialize(body, ExecutionJsonContext.Default.OrderIntentMessage);
        }
        catch (JsonException ex)
        {
            return (null, "not an order intent message: " + ex.Message);
        }
        if (message?.Intent is not { } w) return (null, "not an order intent message: no intent property");
        if (w.Cloid is null) return (null, "the intent has no cloid");
        var draft = new OrderIntentDraft(w.Coin, w.Side, Number(w.Size), w.Type, Number(w.LimitPrice), Number(w.Slippage), w.Tif, w.ReduceOnly, w.Cloid);
        var (intent, errors) = OrderIntentRules.Validate(draft, w.SourceKey ?? w.Cloid);
        return intent is null ? (null, "invalid intent: " + string.Join("; ", errors.Select(kv => $"{kv.Key}: {string.Join(" ", kv.Value)}"))) : (intent, null);
    }

    public Task SendAsync(QueueServiceClient queues, CancellationToken ct) => SendAsync(queues, null, ct);

    /// <summary>
    /// Queues the message; with <paramref name="visibleAfter"/> it stays invisible that long (the backoff of a
    /// rate-limited intent: the same under the Functions host and in self-host, as the queue itself delays it).
    /// </summary>
    public async Task SendAsync(QueueServiceClient queues, TimeSpan? visibleAfter, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(queues);
        var queue = queues.GetQueueClient(QueueName);
        await queue.CreateIfNotExistsAsync(cancellationToken: ct);
        await queue.SendMessageAsync(ToJson(), visibleAfter, timeToLive: null, ct);
    }

    private static string? Text(decimal? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static decimal? Number(string? text) =>
        text is not null && decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var d) ? d : null;
}

/// <summary>An intent on the wire: decimals as invariant strings, the venue's own spellings.</summary>
public sealed record OrderIntentWire(
    string? Cloid, string? SourceKey, string? Coin, string? Side, string? Size, string? Type, string? LimitPrice, string? Slippage, string? Tif, bool ReduceOnly);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(OrderIntentMessage))]
internal sealed partial class ExecutionJsonContext : JsonSerializerContext;
