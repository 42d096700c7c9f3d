using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using MessagePack;

namespace HyperFunctions.Hyperliquid.Signing;

/// <summary>
/// The L1 action hash ("connectionId"): keccak-256 over msgpack(action) + nonce + vault + optional expiry,
/// byte for byte as the official SDK's <c>action_hash</c> builds it.
/// </summary>
public static class ActionHasher
{
    /// <summary>
    /// keccak256( msgpack(action) ‖ nonce (8 bytes BE) ‖ 0x00 | 0x01 ‖ vault (20 bytes) [‖ 0x00 ‖ expiresAfter (8 bytes BE)] ).
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The action holds a non-integral number, the nonce or expiry is negative, or the vault address is malformed.
    /// </exception>
    public static byte[] ConnectionId(JsonObject action, long nonce, string? vaultAddress, long? expiresAfter = null)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentOutOfRangeException.ThrowIfNegative(nonce);
        if (expiresAfter is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(expiresAfter), expiresAfter, "expiresAfter must not be negative.");
        }

        var vault = vaultAddress is null ? null : EthereumAddress.Parse(vaultAddress, "vaultAddress");

        var buffer = new ArrayBufferWriter<byte>(256);
        WritePacked(buffer, action);
        WriteUInt64(buffer, (ulong)nonce);
        if (vault is null)
        {
            buffer.Write([(byte)0x00]);
        }
        else
        {
            buffer.Write([(byte)0x01]);
            buffer.Write(vault);
        }

        if (expiresAfter is { } expiry)
        {
            buffer.Write([(byte)0x00]);
            WriteUInt64(buffer, (ulong)expiry);
        }

        return Keccak256.Hash(buffer.WrittenSpan);
    }

    /// <summary>
    /// msgpack encoding of a JSON value as the venue hashes it: maps in insertion order, the smallest integer
    /// format (as Python's msgpack picks it), str for strings, bool, nil and arrays.
    /// </summary>
    /// <exception cref="ArgumentException">A number is not an integer (prices and sizes travel as strings).</exception>
    public static byte[] Pack(JsonNode? node)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WritePacked(buffer, node);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// A deep copy of the action in which every number is a plain integer literal, exactly what
    /// <see cref="ConnectionId"/> hashes. Send this copy so the body cannot say <c>1e3</c> where the hash says 1000.
    /// </summary>
    /// <exception cref="ArgumentException">A number is not an integer.</exception>
    public static JsonObject Canonicalize(JsonObject action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return (JsonObject)CanonicalizeNode(action)!;
    }

    private static JsonNode? CanonicalizeNode(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    copy[key] = CanonicalizeNode(value);
                }

                return copy;
            case JsonArray array:
                var items = new JsonArray();
                foreach (var item in array)
                {
                    items.Add(CanonicalizeNode(item));
                }

                return items;
            default:
                var jsonValue = node.AsValue();
                if (jsonValue.GetValueKind() == JsonValueKind.Number)
                {
                    var integer = ToInteger(jsonValue);
                    return integer >= long.MinValue && integer <= long.MaxValue
                        ? JsonValue.Create((long)integer)
                        : JsonValue.Create((ulong)integer);
                }

                return jsonValue.DeepClone();
        }
    }

    private static void WritePacked(IBufferWriter<byte> buffer, JsonNode? node)
    {
        var writer = new MessagePackWriter(buffer);
        Write(ref writer, node);
        writer.Flush();
    }

    private static void Write(ref MessagePackWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNil();
                return;
            case JsonObject obj:
                writer.WriteMapHeader(obj.Count);
                foreach (var (key, value) in obj)
                {
                    writer.Write(key);
                    Write(ref writer, value);
                }

                return;
            case JsonArray array:
                writer.WriteArrayHeader(array.Count);
                foreach (var item in array)
                {
                    Write(ref writer, item);
                }

                return;
        }

        var jsonValue = node.AsValue();
        switch (jsonValue.GetValueKind())
        {
            case JsonValueKind.String:
                writer.Write(jsonValue.GetValue<string>());
                return;
            case JsonValueKind.True:
                writer.Write(true);
                return;
            case JsonValueKind.False:
                writer.Write(false);
                return;
            case JsonValueKind.Null:
                writer.WriteNil();
                return;
            case JsonValueKind.Number:
                var integer = ToInteger(jsonValue);
                if (integer < 0)
                {
                    // MessagePackWriter.Write(long) picks the smallest format (fixint … int64), as Python's msgpack does.
                    writer.Write((long)integer);
                }
                else
                {
                    // Non-negative values use the unsigned family (fixint, uint8 … uint64), again as Python does.
                    writer.Write((ulong)integer);
                }

                return;
            default:
                throw new ArgumentException($"Unsupported JSON value at {node.GetPath()}.", nameof(node));
        }
    }

    /// <summary>
    /// Converts an integral JSON number to an integer in the int64/uint64 range. The JSON text is the single
    /// source of truth, so values parsed from text and values created in code behave the same.
    /// </summary>
    private static BigInteger ToInteger(JsonValue value)
    {
        var text = value.ToJsonString();
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var asLong))
        {
            return asLong;
        }

        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var asULong))
        {
            return asULong;
        }

        // Forms like 5.0 or 1e3 are integral; anything with a fractional part is refused rather than hashed as a
        // float, because the venue expects prices and sizes as decimal strings and a float would change the hash.
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var asDecimal)
            && asDecimal == decimal.Truncate(asDecimal))
        {
            var integral = new BigInteger(asDecimal);
            if (integral >= long.MinValue && integral <= ulong.MaxValue)
            {
                return integral;
            }
        }

        throw new ArgumentException(
            $"Action value at {value.GetPath()} is the number {text}, which is not an integer in the int64/uint64 range. " +
            "Only integers may be numbers; prices and sizes must be decimal strings (see WireFormat.FloatToWire).",
            nameof(value));
    }

    private static void WriteUInt64(IBufferWriter<byte> buffer, ulong value)
    {
        var span = buffer.GetSpan(8);
        BinaryPrimitives.WriteUInt64BigEndian(span, value);
        buffer.Advance(8);
    }
}
