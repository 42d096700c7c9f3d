using System.Diagnostics.CodeAnalysis;

namespace HyperFunctions.Simulator.Core;

/// <summary>Validation of 0x-hex identifiers: addresses (20 bytes) and cloids (16 bytes).</summary>
internal static class Addresses
{
    public static bool TryNormalizeAddress(string? value, [NotNullWhen(true)] out string? normalized) =>
        TryNormalizeHex(value, 40, out normalized);

    public static bool TryNormalizeCloid(string? value, [NotNullWhen(true)] out string? normalized) =>
        TryNormalizeHex(value, 32, out normalized);

    private static bool TryNormalizeHex(string? value, int hexDigits, [NotNullWhen(true)] out string? normalized)
    {
        normalized = null;
        if (value is null || value.Length != hexDigits + 2 || value[0] != '0' || (value[1] != 'x' && value[1] != 'X'))
        {
            return false;
        }

        for (var i = 2; i < value.Length; i++)
        {
            if (!char.IsAsciiHexDigit(value[i]))
            {
                return false;
            }
        }

        normalized = "0x" + value[2..].ToLowerInvariant();
        return true;
    }
}
