using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace HyperFunctions.Domain.Execution;

/// <summary>
/// Client order ids (cloid): "0x" + 32 lowercase hex characters (16 bytes), the venue's format. Derived
/// deterministically from an intent's source key, so a redelivered or re-derived intent maps to the same
/// cloid and the venue can be asked about it by that id.
/// </summary>
public static partial class ClientOrderId
{
    public const int ByteLength = 16;

    /// <summary>The first 16 bytes of SHA-256 over the UTF-8 source key, as "0x" + 32 lowercase hex.</summary>
    public static string FromSourceKey(string sourceKey)
    {
        ArgumentNullException.ThrowIfNull(sourceKey);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(sourceKey), hash);
        return "0x" + Convert.ToHexStringLower(hash[..ByteLength]);
    }

    /// <summary>Whether the text is "0x" + 32 hex characters (either case).</summary>
    public static bool IsValid(string? cloid) => cloid is not null && Pattern().IsMatch(cloid);

    /// <summary>The canonical (lowercase) form of a valid cloid.</summary>
    public static string Normalize(string cloid) => IsValid(cloid) ? cloid.ToLowerInvariant() : throw new ArgumentException("Not a cloid (0x + 32 hex).", nameof(cloid));

    [GeneratedRegex("^0x[0-9a-fA-F]{32}$")]
    private static partial Regex Pattern();
}
