using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HyperFunctions.Hyperliquid.Signing;

/// <summary>
/// EIP-712 typed-data hashing (encodeType / hashStruct / domain separator / signing digest) for the subset the
/// venue uses: string, bytes, bytes1..32, address, bool, uintN, intN, nested struct types and arrays of those.
/// </summary>
public static class Eip712
{
    private static readonly (string Name, string Type)[] DomainFields =
    [
        ("name", "string"),
        ("version", "string"),
        ("chainId", "uint256"),
        ("verifyingContract", "address"),
    ];

    /// <summary>hashStruct(EIP712Domain{name, version, chainId, verifyingContract}).</summary>
    public static byte[] DomainSeparator(string name, string version, long chainId, string verifyingContract)
    {
        var domain = new JsonObject
        {
            ["name"] = name,
            ["version"] = version,
            ["chainId"] = chainId,
            ["verifyingContract"] = verifyingContract,
        };
        return HashStruct("EIP712Domain", DomainFields, domain);
    }

    /// <summary>hashStruct for a flat struct whose fields are all atomic or dynamic (no nested struct types).</summary>
    public static byte[] HashStruct(string primaryType, IReadOnlyList<(string Name, string Type)> fields, JsonObject message)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var types = new Dictionary<string, IReadOnlyList<(string Name, string Type)>>(StringComparer.Ordinal)
        {
            [primaryType] = fields,
        };
        return HashStruct(primaryType, types, message);
    }

    /// <summary>hashStruct(s) = keccak256(typeHash ‖ encodeData(s)).</summary>
    public static byte[] HashStruct(
        string primaryType,
        IReadOnlyDictionary<string, IReadOnlyList<(string Name, string Type)>> types,
        JsonObject message)
    {
        ArgumentNullException.ThrowIfNull(types);
        ArgumentNullException.ThrowIfNull(message);
        var fields = FieldsOf(primaryType, types);
        var encoded = new List<byte>(32 * (fields.Count + 1));
        encoded.AddRange(Keccak256.Hash(Encoding.UTF8.GetBytes(EncodeType(primaryType, types))));
        foreach (var (name, type) in fields)
        {
            if (!message.TryGetPropertyValue(name, out var value))
            {
                throw new ArgumentException($"Typed data for {primaryType} is missing field '{name}'.", nameof(message));
            }

            encoded.AddRange(EncodeValue(type, value, types, $"{primaryType}.{name}"));
        }

        return Keccak256.Hash(encoded.ToArray());
    }

    /// <summary>encodeType: "Primary(type name,…)" followed by every referenced struct type, sorted by name.</summary>
    public static string EncodeType(string primaryType, IReadOnlyDictionary<string, IReadOnlyList<(string Name, string Type)>> types)
    {
        ArgumentNullException.ThrowIfNull(types);
        var dependencies = new SortedSet<string>(StringComparer.Ordinal);
        CollectDependencies(primaryType, types, dependencies);
        dependencies.Remove(primaryType);

        var builder = new StringBuilder();
        foreach (var typeName in new[] { primaryType }.Concat(dependencies))
        {
            builder.Append(typeName).Append('(');
            builder.AppendJoin(',', FieldsOf(typeName, types).Select(f => $"{f.Type} {f.Name}"));
            builder.Append(')');
        }

        return builder.ToString();
    }

    /// <summary>The digest that is signed: keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ hashStruct(message)).</summary>
    public static byte[] SigningDigest(ReadOnlySpan<byte> domainSeparator, ReadOnlySpan<byte> structHash)
    {
        if (domainSeparator.Length != 32 || structHash.Length != 32)
        {
            throw new ArgumentException("Domain separator and struct hash must be 32 bytes each.");
        }

        Span<byte> data = stackalloc byte[66];
        data[0] = 0x19;
        data[1] = 0x01;
        domainSeparator.CopyTo(data[2..]);
        structHash.CopyTo(data[34..]);
        return Keccak256.Hash(data);
    }

    private static IReadOnlyList<(string Name, string Type)> FieldsOf(
        string typeName, IReadOnlyDictionary<string, IReadOnlyList<(string Name, string Type)>> types) =>
        types.TryGetValue(typeName, out var fields)
            ? fields
            : throw new ArgumentException($"EIP-712 type '{typeName}' is not defined.", nameof(typeName));

    private static void CollectDependencies(
        string typeName, IReadOnlyDictionary<string, IReadOnlyList<(string Name, string Type)>> types, SortedSet<string> found)
    {
        if (!found.Add(typeName))
        {
            return;
        }

        foreach (var (_, type) in FieldsOf(typeName, types))
        {
            var baseType = ElementType(type);
            if (types.ContainsKey(baseType))
            {
                CollectDependencies(baseType, types, found);
            }
        }
    }

    private static string ElementType(string type)
    {
        var bracket = type.IndexOf('[', StringComparison.Ordinal);
        return bracket < 0 ? type : type[..bracket];
    }

    private static byte[] EncodeValue(
        string type, JsonNode? value, IReadOnlyDictionary<string, IReadOnlyList<(string Name, string Type)>> types, string path)
    {
        if (type.EndsWith(']'))
        {
            // Arrays: keccak of the concatenated encodings of the elements (EIP-712 as implemented by eth_account v4).
            var elementType = type[..type.LastIndexOf('[')];
            if (value is not JsonArray array)
            {
                throw new ArgumentException($"{path} must be a JSON array for type {type}.", nameof(value));
            }

            var concatenated = new List<byte>(32 * array.Count);
            for (var i = 0; i < array.Count; i++)
            {
                concatenated.AddRange(EncodeValue(elementType, array[i], types, $"{path}[{i.ToString(CultureInfo.InvariantCulture)}]"));
            }

            return Keccak256.Hash(concatenated.ToArray());
        }

        if (types.ContainsKey(type))
        {
            return value is JsonObject nested
                ? HashStruct(type, types, nested)
                : throw new ArgumentException($"{path} must be a JSON object for struct type {type}.", nameof(value));
        }

        switch (type)
        {
            case "string":
                return Keccak256.Hash(Encoding.UTF8.GetBytes(RequireString(value, path)));
            case "bytes":
                return Keccak256.Hash(DecodeHex(RequireString(value, path), null, path));
            case "address":
                // Only the 20 bytes are hashed, so any letter case is accepted here (checksums are a UI concern).
                var addressText = RequireString(value, path);
                var address = Hex.HasPrefix(addressText) ? Hex.TryDecodeFixed(addressText, 20) : null;
                if (address is null)
                {
                    throw new ArgumentException($"{path} must be 0x followed by 40 hex digits.", nameof(value));
                }

                var word = new byte[32];
                address.CopyTo(word, 12);
                return word;
            case "bool":
                return value is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False
                    ? IntegerWord(b.GetValue<bool>() ? BigInteger.One : BigInteger.Zero)
                    : throw new ArgumentException($"{path} must be true or false.", nameof(value));
        }

        if (type.StartsWith("bytes", StringComparison.Ordinal)
            && int.TryParse(type.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size is >= 1 and <= 32)
        {
            var fixedBytes = DecodeHex(RequireString(value, path), size, path);
            var word = new byte[32];
            fixedBytes.CopyTo(word, 0); // bytesN is left-aligned in its word.
            return word;
        }

        if (TryIntegerBits(type, "uint", out var uintBits))
        {
            var integer = RequireInteger(value, path);
            if (integer.Sign < 0 || integer >= BigInteger.One << uintBits)
            {
                throw new ArgumentException($"{path} = {integer} does not fit {type}.", nameof(value));
            }

            return IntegerWord(integer);
        }

        if (TryIntegerBits(type, "int", out var intBits))
        {
            var integer = RequireInteger(value, path);
            var limit = BigInteger.One << (intBits - 1);
            if (integer < -limit || integer >= limit)
            {
                throw new ArgumentException($"{path} = {integer} does not fit {type}.", nameof(value));
            }

            return IntegerWord(integer);
        }

        throw new ArgumentException($"EIP-712 type '{type}' at {path} is not supported.", nameof(type));
    }

    private static bool TryIntegerBits(string type, string prefix, out int bits)
    {
        bits = 0;
        if (!type.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var suffix = type.AsSpan(prefix.Length);
        if (suffix.IsEmpty)
        {
            bits = 256;
            return true;
        }

        return int.TryParse(suffix, NumberStyles.None, CultureInfo.InvariantCulture, out bits) && bits is >= 8 and <= 256 && bits % 8 == 0;
    }

    private static string RequireString(JsonNode? value, string path) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw new ArgumentException($"{path} must be a JSON string.", nameof(value));

    /// <summary>Integers may be JSON numbers or decimal / 0x-hex strings (wallet JSON commonly uses both).</summary>
    private static BigInteger RequireInteger(JsonNode? value, string path)
    {
        if (value is JsonValue v)
        {
            switch (v.GetValueKind())
            {
                case JsonValueKind.Number when BigInteger.TryParse(v.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n):
                    return n;
                case JsonValueKind.String:
                    var text = v.GetValue<string>();
                    if (Hex.HasPrefix(text) && text.Length > 2 && Hex.IsHexDigits(text.AsSpan(2)))
                    {
                        return BigInteger.Parse("0" + text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
                    }

                    if (BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
                    {
                        return parsed;
                    }

                    break;
            }
        }

        throw new ArgumentException($"{path} must be an integer (JSON integer, decimal string or 0x-hex string).", nameof(value));
    }

    private static byte[] DecodeHex(string text, int? expectedLength, string path)
    {
        var digits = Hex.HasPrefix(text) ? text[2..] : null;
        if (digits is null || digits.Length % 2 != 0 || !Hex.IsHexDigits(digits)
            || (expectedLength is { } n && digits.Length != n * 2))
        {
            var size = expectedLength is { } length ? $"{length.ToString(CultureInfo.InvariantCulture)} bytes of " : string.Empty;
            throw new ArgumentException($"{path} must be {size}0x-prefixed hex.", nameof(text));
        }

        return Convert.FromHexString(digits);
    }

    /// <summary>Big-endian 32-byte two's-complement word.</summary>
    private static byte[] IntegerWord(BigInteger value)
    {
        var word = new byte[32];
        if (value.Sign < 0)
        {
            word.AsSpan().Fill(0xff);
        }

        var raw = value.ToByteArray(isUnsigned: false, isBigEndian: true);
        raw.AsSpan(Math.Max(0, raw.Length - 32)).CopyTo(word.AsSpan(32 - Math.Min(32, raw.Length)));
        return word;
    }
}
