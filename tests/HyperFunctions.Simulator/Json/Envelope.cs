using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace HyperFunctions.Simulator.Json;

/// <summary>Serialises WebSocket messages <c>{"channel": …, "data": …}</c> and REST bodies to UTF-8 once.</summary>
internal static class Envelope
{
    public static ReadOnlyMemory<byte> Pong { get; } = "{\"channel\":\"pong\"}"u8.ToArray();

    public static ReadOnlyMemory<byte> Channel<T>(string channel, T data, JsonTypeInfo<T> typeInfo)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, SimJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("channel", channel);
            writer.WritePropertyName("data");
            JsonSerializer.Serialize(writer, data, typeInfo);
            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }

    public static ReadOnlyMemory<byte> Channel(string channel, JsonNode data)
    {
        var message = new JsonObject { ["channel"] = channel, ["data"] = data };
        return Encoding.UTF8.GetBytes(message.ToJsonString(SimJson.NodeOptions));
    }

    public static ReadOnlyMemory<byte> Error(string message)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer, SimJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("channel", "error");
            writer.WriteString("data", message);
            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }

    public static byte[] Body<T>(T value, JsonTypeInfo<T> typeInfo) => JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);

    public static byte[] Body(JsonNode? node) => Encoding.UTF8.GetBytes(node?.ToJsonString(SimJson.NodeOptions) ?? "null");
}
