using System.Text.Json.Nodes;
using HyperFunctions.Hyperliquid.Signing;

namespace HyperFunctions.Signing.Tests;

/// <summary>Sign → recover round trips, and proof that every signed input is bound into the signature.</summary>
public class RoundTripTests
{
    private const string Key = "0x8f2a55949038a9610f50fb23b5883af3b4ecb3c3bb792cbcefbd1542c692be63";
    private const string Vault = "0x1719884eb866cb12b2287399b15f7db5e7d775ea";

    private static JsonObject Order() => JsonNode.Parse(ActionHasherTests.EthIocOrderJson)!.AsObject();

    [Theory]
    [InlineData(true, null, null)]
    [InlineData(false, null, null)]
    [InlineData(true, Vault, null)]
    [InlineData(false, Vault, 1700000000000L)]
    [InlineData(true, null, 1700000000000L)]
    public void L1_signature_recovers_to_the_signing_key(bool isMainnet, string? vault, long? expiresAfter)
    {
        var signature = HyperliquidSigner.SignL1Action(Key, Order(), 1677777606040, vault, isMainnet, expiresAfter);

        Assert.Matches("^0x[0-9a-f]{64}$", signature.R);
        Assert.Matches("^0x[0-9a-f]{64}$", signature.S);
        Assert.Contains(signature.V, new[] { 27, 28 });
        Assert.Equal(
            EthereumAddress.FromPrivateKey(Key),
            HyperliquidSigner.RecoverL1Signer(Order(), 1677777606040, vault, isMainnet, signature, expiresAfter));
    }

    [Fact]
    public void Signing_is_deterministic()
    {
        Assert.Equal(
            HyperliquidSigner.SignL1Action(Key, Order(), 42, null, true),
            HyperliquidSigner.SignL1Action(Key, Order(), 42, null, true));
    }

    [Fact]
    public void Every_signed_input_changes_the_recovered_signer()
    {
        var signer = EthereumAddress.FromPrivateKey(Key);
        var signature = HyperliquidSigner.SignL1Action(Key, Order(), 42, null, isMainnet: true);
        var otherAction = Order();
        otherAction["grouping"] = "normalTpsl";

        Assert.Equal(signer, HyperliquidSigner.RecoverL1Signer(Order(), 42, null, true, signature));
        Assert.NotEqual(signer, HyperliquidSigner.RecoverL1Signer(Order(), 43, null, true, signature));
        Assert.NotEqual(signer, HyperliquidSigner.RecoverL1Signer(Order(), 42, null, false, signature));
        Assert.NotEqual(signer, HyperliquidSigner.RecoverL1Signer(Order(), 42, Vault, true, signature));
        Assert.NotEqual(signer, HyperliquidSigner.RecoverL1Signer(Order(), 42, null, true, signature, 1700000000000));
        Assert.NotEqual(signer, HyperliquidSigner.RecoverL1Signer(otherAction, 42, null, true, signature));
    }

    [Fact]
    public void Signatures_are_low_s()
    {
        var halfN = System.Numerics.BigInteger.Parse(
            "07fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0", System.Globalization.NumberStyles.HexNumber,
            System.Globalization.CultureInfo.InvariantCulture);
        for (long nonce = 0; nonce < 32; nonce++)
        {
            var signature = HyperliquidSigner.SignL1Action(Key, Order(), nonce, null, true);
            var s = System.Numerics.BigInteger.Parse("0" + signature.S[2..], System.Globalization.NumberStyles.HexNumber,
                System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(s <= halfN, $"nonce {nonce}: s is high");
        }
    }

    [Fact]
    public void High_s_and_bad_v_are_refused_on_recovery()
    {
        var digest = Keccak256.Hash("x"u8);
        var signature = Secp256k1.Sign(digest, Key);
        var n = System.Numerics.BigInteger.Parse(
            "0fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", System.Globalization.NumberStyles.HexNumber,
            System.Globalization.CultureInfo.InvariantCulture);
        var s = System.Numerics.BigInteger.Parse("0" + signature.S[2..], System.Globalization.NumberStyles.HexNumber,
            System.Globalization.CultureInfo.InvariantCulture);
        var highS = "0x" + (n - s).ToString("x64", System.Globalization.CultureInfo.InvariantCulture)[^64..];

        Assert.Throws<ArgumentException>(() => Secp256k1.RecoverAddress(digest, signature with { S = highS, V = 55 - signature.V }));
        Assert.Throws<ArgumentException>(() => Secp256k1.RecoverAddress(digest, signature with { V = 0 }));
        Assert.Throws<ArgumentException>(() => Secp256k1.RecoverAddress(digest, signature with { R = "0x" }));
        Assert.Throws<ArgumentException>(() => Secp256k1.RecoverAddress(digest, signature with { R = "1234" }));
    }

    [Fact]
    public void Flipping_v_recovers_a_different_address()
    {
        var digest = Keccak256.Hash("x"u8);
        var signature = Secp256k1.Sign(digest, Key);

        Assert.NotEqual(EthereumAddress.FromPrivateKey(Key), Secp256k1.RecoverAddress(digest, signature with { V = 55 - signature.V }));
    }

    [Fact]
    public void User_signed_action_round_trips_and_binds_the_chain()
    {
        var action = UserSignedActions.Prepare(
            new JsonObject
            {
                ["type"] = "approveAgent",
                ["agentAddress"] = "0x5e9ee1089755c3435139848e47e6635505d5a13a",
                ["agentName"] = "failover",
                ["nonce"] = 1700000000000,
            },
            isMainnet: true);

        var signature = HyperliquidSigner.SignUserAction(
            Key, action, UserSignedActions.ApproveAgentTypes, UserSignedActions.ApproveAgentPrimaryType);

        Assert.Equal("Mainnet", (string?)action["hyperliquidChain"]);
        Assert.Equal("0x66eee", (string?)action["signatureChainId"]);
        Assert.Equal(
            EthereumAddress.FromPrivateKey(Key),
            HyperliquidSigner.RecoverUserActionSigner(action, UserSignedActions.ApproveAgentTypes, UserSignedActions.ApproveAgentPrimaryType, signature));

        var replayedOnTestnet = UserSignedActions.Prepare(action.DeepClone().AsObject(), isMainnet: false);
        Assert.NotEqual(
            EthereumAddress.FromPrivateKey(Key),
            HyperliquidSigner.RecoverUserActionSigner(replayedOnTestnet, UserSignedActions.ApproveAgentTypes, UserSignedActions.ApproveAgentPrimaryType, signature));
    }

    [Fact]
    public void User_signed_action_needs_signature_chain_id()
    {
        var action = new JsonObject { ["hyperliquidChain"] = "Mainnet", ["destination"] = "0x5e9ee1089755c3435139848e47e6635505d5a13a", ["amount"] = "1", ["time"] = 1 };

        var error = Assert.Throws<ArgumentException>(() =>
            HyperliquidSigner.SignUserAction(Key, action, UserSignedActions.UsdSendTypes, UserSignedActions.UsdSendPrimaryType));
        Assert.Contains("signatureChainId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void L1_digest_uses_the_exchange_domain()
    {
        // Rebuild the phantom agent digest from the generic EIP-712 pieces to cross-check the fixed constants.
        var connectionId = ActionHasher.ConnectionId(Order(), 1677777606040, null);
        var domain = Eip712.DomainSeparator("Exchange", "1", 1337, "0x0000000000000000000000000000000000000000");
        var agent = Eip712.HashStruct(
            "Agent",
            [("source", "string"), ("connectionId", "bytes32")],
            new JsonObject { ["source"] = "a", ["connectionId"] = "0x" + Convert.ToHexStringLower(connectionId) });

        Assert.Equal(Eip712.SigningDigest(domain, agent), HyperliquidSigner.L1SigningDigest(connectionId, isMainnet: true));
        Assert.NotEqual(Eip712.SigningDigest(domain, agent), HyperliquidSigner.L1SigningDigest(connectionId, isMainnet: false));
    }
}
