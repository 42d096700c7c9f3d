using System.Text;
using HyperFunctions.Hyperliquid.Signing;

namespace HyperFunctions.Signing.Tests;

public class Keccak256Tests
{
    [Theory]
    // Ethereum keccak-256 reference values (empty input and "abc").
    [InlineData("", "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")]
    [InlineData("abc", "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")]
    public void Matches_known_keccak_vectors(string input, string expectedHex)
    {
        var hash = Keccak256.Hash(Encoding.ASCII.GetBytes(input));

        Assert.Equal(expectedHex, Convert.ToHexStringLower(hash));
    }

    [Fact]
    public void Is_not_nist_sha3_256()
    {
        // SHA3-256("") (FIPS 202) differs from keccak-256("") only by padding; the wrong one breaks every signature.
        const string sha3Empty = "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a";

        Assert.NotEqual(sha3Empty, Convert.ToHexStringLower(Keccak256.Hash([])));
    }
}
