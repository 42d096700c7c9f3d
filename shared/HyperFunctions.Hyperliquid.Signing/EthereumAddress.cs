using System.Diagnostics.CodeAnalysis;
using System.Text;
using Org.BouncyCastle.Math.EC;

namespace HyperFunctions.Hyperliquid.Signing;

/// <summary>Ethereum account addresses: derivation from keys, parsing and EIP-55 checksums.</summary>
public static class EthereumAddress
{
    public const string Zero = "0x0000000000000000000000000000000000000000";

    /// <summary>The 0x-prefixed lowercase address of a private key.</summary>
    /// <exception cref="InvalidPrivateKeyException">The key is missing or malformed (the message never contains it).</exception>
    public static string FromPrivateKey(string privateKeyHex) =>
        FromPublicKey(Secp256k1.PublicKey(Secp256k1.ParsePrivateKey(privateKeyHex)));

    /// <summary>
    /// True for "0x" + 40 hex digits. All-lowercase and all-uppercase are accepted as is; mixed case must be a
    /// valid EIP-55 checksum, because a mixed-case address that fails it is almost certainly mistyped.
    /// </summary>
    public static bool IsValid([NotNullWhen(true)] string? address) => TryParse(address, out _);

    /// <summary>Parses an address (see <see cref="IsValid"/>) into its 20 bytes.</summary>
    public static bool TryParse([NotNullWhen(true)] string? address, [NotNullWhen(true)] out byte[]? bytes)
    {
        bytes = null;
        if (address is null || address.Length != 42 || !address.StartsWith("0x", StringComparison.Ordinal))
        {
            return false;
        }

        var digits = address.AsSpan(2);
        if (!Hex.IsHexDigits(digits))
        {
            return false;
        }

        var hasLower = digits.ContainsAny("abcdef");
        var hasUpper = digits.ContainsAny("ABCDEF");
        if (hasLower && hasUpper && !string.Equals(ToChecksum(address), address, StringComparison.Ordinal))
        {
            return false;
        }

        bytes = Convert.FromHexString(digits);
        return true;
    }

    /// <summary>Parses an address or throws an <see cref="ArgumentException"/> naming <paramref name="what"/>.</summary>
    public static byte[] Parse(string? address, string what = "address") =>
        TryParse(address, out var bytes)
            ? bytes
            : throw new ArgumentException(
                $"{what} must be 0x followed by 40 hex digits (mixed case must be a valid EIP-55 checksum); got '{address}'.",
                nameof(address));

    /// <summary>Lowercase 0x form of a valid address.</summary>
    public static string Normalize(string address, string what = "address") => Hex.Encode(Parse(address, what));

    /// <summary>EIP-55 mixed-case checksum form of an address.</summary>
    public static string ToChecksum(string address)
    {
        if (address is null || address.Length != 42 || !Hex.HasPrefix(address) || !Hex.IsHexDigits(address.AsSpan(2)))
        {
            throw new ArgumentException("Address must be 0x followed by 40 hex digits.", nameof(address));
        }

        var lower = address[2..].ToLowerInvariant();
        var hash = Keccak256.Hash(Encoding.ASCII.GetBytes(lower));
        var result = new StringBuilder("0x", 42);
        for (var i = 0; i < lower.Length; i++)
        {
            var nibble = (hash[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0x0f;
            result.Append(nibble >= 8 ? char.ToUpperInvariant(lower[i]) : lower[i]);
        }

        return result.ToString();
    }

    internal static string FromPublicKey(ECPoint publicKey)
    {
        // Uncompressed SEC1 encoding is 0x04 || X || Y; the address is the last 20 bytes of keccak(X || Y).
        var encoded = publicKey.Normalize().GetEncoded(false);
        var hash = Keccak256.Hash(encoded.AsSpan(1));
        return Hex.Encode(hash.AsSpan(12));
    }
}
