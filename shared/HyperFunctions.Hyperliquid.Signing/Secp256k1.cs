using System.Globalization;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;

namespace HyperFunctions.Hyperliquid.Signing;

/// <summary>
/// secp256k1 signing and public-key recovery over a 32-byte digest, Ethereum style:
/// deterministic nonces (RFC 6979, HMAC-SHA256), low-s normalised, v = 27 + recovery id.
/// </summary>
public static class Secp256k1
{
    private static readonly X9ECParameters Curve = CustomNamedCurves.GetByName("secp256k1");
    private static readonly ECDomainParameters Domain = new(Curve.Curve, Curve.G, Curve.N, Curve.H);
    private static readonly BigInteger HalfN = Curve.N.ShiftRight(1);

    /// <summary>Signs a 32-byte digest. The same key and digest always give the same signature.</summary>
    /// <exception cref="InvalidPrivateKeyException">The key is missing or malformed (the message never contains it).</exception>
    public static EcdsaSignature Sign(ReadOnlySpan<byte> digest, string privateKeyHex)
    {
        var d = ParsePrivateKey(privateKeyHex);
        return Sign(digest, d);
    }

    /// <summary>Recovers the signer's 0x-prefixed lowercase address from a digest and signature.</summary>
    /// <exception cref="ArgumentException">The signature is malformed or does not recover to a point.</exception>
    public static string RecoverAddress(ReadOnlySpan<byte> digest, EcdsaSignature signature)
    {
        RequireDigest(digest);
        var r = ParseScalar(signature.R, nameof(signature.R));
        var s = ParseScalar(signature.S, nameof(signature.S));
        if (s.CompareTo(HalfN) > 0)
        {
            // Every mainstream signer (and this one) emits low-s; a high-s twin is a malleated copy.
            throw new ArgumentException("Signature s is in the upper half of the curve order (not low-s normalised).", nameof(signature));
        }

        if (signature.V is not (27 or 28))
        {
            throw new ArgumentException(
                $"Signature v must be 27 or 28, got {signature.V.ToString(CultureInfo.InvariantCulture)}.", nameof(signature));
        }

        var q = Recover(digest, r, s, signature.V - 27)
            ?? throw new ArgumentException("Signature does not recover to a public key.", nameof(signature));
        return EthereumAddress.FromPublicKey(q);
    }

    internal static EcdsaSignature Sign(ReadOnlySpan<byte> digest, BigInteger d)
    {
        RequireDigest(digest);
        var hash = digest.ToArray();
        var signer = new ECDsaSigner(new HMacDsaKCalculator(new Sha256Digest()));
        signer.Init(true, new ECPrivateKeyParameters(d, Domain));
        var rs = signer.GenerateSignature(hash);
        var r = rs[0];
        var s = rs[1];
        if (s.CompareTo(HalfN) > 0)
        {
            s = Curve.N.Subtract(s);
        }

        // The recovery id is whichever candidate point reproduces our own public key; trying both keeps the
        // parity bookkeeping of the low-s flip out of the picture.
        var publicKey = PublicKey(d);
        for (var recId = 0; recId < 2; recId++)
        {
            var candidate = Recover(hash, r, s, recId);
            if (candidate is not null && candidate.Equals(publicKey))
            {
                return new EcdsaSignature(ToHex32(r), ToHex32(s), 27 + recId);
            }
        }

        // Only possible when r >= p - n (probability ~2^-127); v cannot express that case.
        throw new InvalidOperationException("Could not derive a recovery id of 0 or 1 for this signature.");
    }

    internal static ECPoint PublicKey(BigInteger d) => Domain.G.Multiply(d).Normalize();

    /// <summary>
    /// Parses and range-checks a private key. Error messages never include the key, and carry no parameter
    /// name so they read as one sentence when shown to an operator.
    /// </summary>
    internal static BigInteger ParsePrivateKey(string? privateKeyHex)
    {
        if (string.IsNullOrWhiteSpace(privateKeyHex))
        {
            throw new InvalidPrivateKeyException("Private key is empty.");
        }

        // Trimming tolerates a trailing newline from a secrets file or `echo`, the commonest copy-paste damage.
        var digits = Hex.StripPrefix(privateKeyHex.Trim());
        if (digits.Length != 64)
        {
            throw new InvalidPrivateKeyException(
                $"Private key must be 64 hex characters (32 bytes), optionally prefixed with 0x; got {digits.Length.ToString(CultureInfo.InvariantCulture)} characters.");
        }

        var bad = Hex.FirstNonHex(digits);
        if (bad >= 0)
        {
            throw new InvalidPrivateKeyException(
                $"Private key contains a non-hex character at position {bad.ToString(CultureInfo.InvariantCulture)} (after any 0x prefix).");
        }

        var d = new BigInteger(1, Convert.FromHexString(digits));
        if (d.SignValue == 0 || d.CompareTo(Curve.N) >= 0)
        {
            throw new InvalidPrivateKeyException(
                "Private key is outside the secp256k1 range (it must be between 1 and n-1).");
        }

        return d;
    }

    /// <summary>SEC 1 v2 §4.1.6 public-key recovery; null when the candidate is not a valid point.</summary>
    private static ECPoint? Recover(ReadOnlySpan<byte> digest, BigInteger r, BigInteger s, int recId)
    {
        var n = Curve.N;
        var x = r; // recId 2/3 (x = r + n) cannot be expressed by v = 27/28, so it is never tried.
        var p = Curve.Curve.Field.Characteristic;
        if (x.CompareTo(p) >= 0)
        {
            return null;
        }

        var encoded = new byte[33];
        encoded[0] = (byte)((recId & 1) == 0 ? 0x02 : 0x03);
        var xBytes = x.ToByteArrayUnsigned();
        xBytes.CopyTo(encoded.AsSpan(33 - xBytes.Length));
        ECPoint bigR;
        try
        {
            bigR = Curve.Curve.DecodePoint(encoded);
        }
        catch (ArgumentException)
        {
            return null;
        }

        var e = new BigInteger(1, digest.ToArray());
        var rInv = r.ModInverse(n);
        var u1 = e.Negate().Multiply(rInv).Mod(n);
        var u2 = s.Multiply(rInv).Mod(n);
        var q = ECAlgorithms.SumOfTwoMultiplies(Domain.G, u1, bigR, u2).Normalize();
        return q.IsInfinity ? null : q;
    }

    private static BigInteger ParseScalar(string? hex, string name)
    {
        if (hex is null || !Hex.HasPrefix(hex))
        {
            throw new ArgumentException($"Signature {name} must be 0x-prefixed hex.", nameof(hex));
        }

        var digits = hex[2..];
        if (digits.Length is 0 or > 64 || !Hex.IsHexDigits(digits))
        {
            throw new ArgumentException($"Signature {name} must be 1 to 64 hex digits after 0x.", nameof(hex));
        }

        var value = new BigInteger(digits, 16);
        if (value.SignValue == 0 || value.CompareTo(Curve.N) >= 0)
        {
            throw new ArgumentException($"Signature {name} is outside 1 .. n-1.", nameof(hex));
        }

        return value;
    }

    private static void RequireDigest(ReadOnlySpan<byte> digest)
    {
        if (digest.Length != 32)
        {
            throw new ArgumentException(
                $"Digest must be 32 bytes, got {digest.Length.ToString(CultureInfo.InvariantCulture)}.", nameof(digest));
        }
    }

    private static string ToHex32(BigInteger value)
    {
        Span<byte> buffer = stackalloc byte[32];
        var raw = value.ToByteArrayUnsigned();
        raw.CopyTo(buffer[(32 - raw.Length)..]);
        return Hex.Encode(buffer);
    }
}
