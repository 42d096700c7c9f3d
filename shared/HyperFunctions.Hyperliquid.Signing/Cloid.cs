using System.Diagnostics.CodeAnalysis;

namespace HyperFunctions.Hyperliquid.Signing;

/// <summary>Client order ids: "0x" followed by 32 hex characters (16 bytes).</summary>
public static class Cloid
{
    public const int ByteLength = 16;

    public static bool IsValid([NotNullWhen(true)] string? cloid) =>
        cloid is { Length: 2 + (ByteLength * 2) }
        && cloid.StartsWith("0x", StringComparison.Ordinal)
        && Hex.IsHexDigits(cloid.AsSpan(2));

    /// <summary>The canonical lowercase cloid for 16 bytes.</summary>
    public static string FromBytes(ReadOnlySpan<byte> bytes) =>
        bytes.Length == ByteLength
            ? Hex.Encode(bytes)
            : throw new ArgumentException("A cloid is exactly 16 bytes.", nameof(bytes));
}
