using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using HyperFunctions.Hyperliquid.Models;

namespace HyperFunctions.Hyperliquid.Serialization;

/// <summary>Reads the heterogeneous array <c>[meta, [ctx, ...]]</c> of <c>metaAndAssetCtxs</c>.</summary>
internal sealed class MetaAndAssetContextsConverter : JsonConverter<MetaAndAssetContexts>
{
    public override MetaAndAssetContexts Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("metaAndAssetCtxs: expected a JSON array [meta, contexts].");
        }

        reader.Read();
        var meta = JsonSerializer.Deserialize(ref reader, (JsonTypeInfo<Meta>)options.GetTypeInfo(typeof(Meta)))
            ?? throw new JsonException("metaAndAssetCtxs: meta is null.");
        reader.Read();
        var contexts = JsonSerializer.Deserialize(ref reader, (JsonTypeInfo<List<AssetContext>>)options.GetTypeInfo(typeof(List<AssetContext>)))
            ?? [];
        reader.Read();
        if (reader.TokenType != JsonTokenType.EndArray)
        {
            throw new JsonException("metaAndAssetCtxs: expected the end of the array after two elements.");
        }

        return new MetaAndAssetContexts(meta, contexts);
    }

    public override void Write(Utf8JsonWriter writer, MetaAndAssetContexts value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartArray();
        JsonSerializer.Serialize(writer, value.Meta, (JsonTypeInfo<Meta>)options.GetTypeInfo(typeof(Meta)));
        JsonSerializer.Serialize(writer, value.Contexts.ToList(), (JsonTypeInfo<List<AssetContext>>)options.GetTypeInfo(typeof(List<AssetContext>)));
        writer.WriteEndArray();
    }
}
