using System.Text.Json.Nodes;
using HyperFunctions.Hyperliquid.Signing;

namespace HyperFunctions.Signing.Tests;

public class PrivateKeyTests
{
    // secp256k1 group order n; n itself and anything above is not a private key.
    private const string CurveOrder = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";

    public static TheoryData<string?, string> BadKeys => new()
    {
        { null, "empty" },
        { "", "empty" },
        { "   ", "empty" },
        { "0x1234", "64 hex characters" },
        { "0x" + new string('a', 66), "64 hex characters" },
        { "0x" + new string('a', 63) + "g", "non-hex character at position 63" },
        { "0x" + new string('0', 64), "outside the secp256k1 range" },
        { "0x" + CurveOrder, "outside the secp256k1 range" },
        { "0x" + new string('f', 64), "outside the secp256k1 range" },
    };

    [Theory]
    [MemberData(nameof(BadKeys))]
    public void Rejects_malformed_keys_without_echoing_them(string? key, string expectedFragment)
    {
        var error = Assert.Throws<InvalidPrivateKeyException>(() => EthereumAddress.FromPrivateKey(key!));

        Assert.Contains(expectedFragment, error.Message, StringComparison.Ordinal);
        if (!string.IsNullOrWhiteSpace(key))
        {
            var digits = key.StartsWith("0x", StringComparison.Ordinal) ? key[2..] : key;
            Assert.DoesNotContain(digits, error.Message, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Signing_rejects_a_bad_key_before_looking_at_the_action()
    {
        // The action is unhashable too; the key error must win so a misconfigured key is reported as such.
        var action = new JsonObject { ["type"] = "order", ["p"] = 1.5 };

        Assert.Throws<InvalidPrivateKeyException>(() =>
            HyperliquidSigner.SignL1Action("0xnotakey", action, 1, null, isMainnet: true));
    }

    [Theory]
    [InlineData("0x0000000000000000000000000000000000000000000000000000000000000001")]
    [InlineData("0X0000000000000000000000000000000000000000000000000000000000000001")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000001")]
    [InlineData(" 0x0000000000000000000000000000000000000000000000000000000000000001\n")]
    [InlineData("0x" + "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140")] // n - 1, the largest key
    public void Accepts_well_formed_keys(string key)
    {
        Assert.StartsWith("0x", EthereumAddress.FromPrivateKey(key), StringComparison.Ordinal);
    }
}
