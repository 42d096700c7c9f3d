using Org.BouncyCastle.Crypto.Digests;

namespace HyperFunctions.Hyperliquid.Signing;

/// <summary>
/// Ethereum's keccak-256: the original Keccak padding (0x01), not the NIST SHA3-256 padding (0x06).
/// BouncyCastle's KeccakDigest(256) is the former; Sha3Digest(256) would give different hashes.
/// </summary>
public static class Keccak256
{
    public const int HashLength = 32;

    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        var digest = new KeccakDigest(256);
        digest.BlockUpdate(data);
        var output = new byte[HashLength];
        digest.DoFinal(output, 0);
        return output;
    }
}
