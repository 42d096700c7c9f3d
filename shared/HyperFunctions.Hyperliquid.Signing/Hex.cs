namespace HyperFunctions.Hyperliquid.Signing;

/// <summary>Lowercase 0x-hex helpers shared by the signing types.</summary>
internal static class Hex
{
    public static string Encode(ReadOnlySpan<byte> bytes) => "0x" + Convert.ToHexStringLower(bytes);

    public static bool HasPrefix(string value) =>
        value.StartsWith("0x", StringComparison.Ordinal) || value.StartsWith("0X", StringComparison.Ordinal);

    public static string StripPrefix(string value) => HasPrefix(value) ? value[2..] : value;

    public static bool IsHexDigits(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Index of the first non-hex character, or -1. Used for error messages that must not echo the input.</summary>
    public static int FirstNonHex(ReadOnlySpan<char> value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (!char.IsAsciiHexDigit(value[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Decodes "0x…" (prefix optional) into exactly <paramref name="length"/> bytes, or returns null.</summary>
    public static byte[]? TryDecodeFixed(string? value, int length)
    {
        if (value is null)
        {
            return null;
        }

        var digits = StripPrefix(value);
        if (digits.Length != length * 2 || !IsHexDigits(digits))
        {
            return null;
        }

        return Convert.FromHexString(digits);
    }
}
