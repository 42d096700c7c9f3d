using System.Buffers.Binary;
using System.Text.Json.Nodes;
using HyperFunctions.Hyperliquid.Signing;

namespace HyperFunctions.Signing.Tests;

public class ActionHasherTests
{
    /// <summary>The order wire of the SDK's test_phantom_agent_creation_matches_production (ETH = asset 4).</summary>
    public const string EthIocOrderJson =
        """{"type":"order","orders":[{"a":4,"b":true,"p":"1670.1","s":"0.0147","r":false,"t":{"limit":{"tif":"Ioc"}}}],"grouping":"na"}""";

    private const string Vault = "0x1719884eb866cb12b2287399b15f7db5e7d775ea";

    [Fact]
    public void Published_phantom_agent_vector()
    {
        // hyperliquid.md and the SDK's tests/signing_test.py: nonce 1677777606040, no vault, mainnet.
        var action = JsonNode.Parse(EthIocOrderJson)!.AsObject();

        var connectionId = ActionHasher.ConnectionId(action, 1677777606040, vaultAddress: null);

        Assert.Equal("0x0fcbeda5ae3c4950a548021552a4fea2226858c4453571bf3f24ba017eac2908", "0x" + Convert.ToHexStringLower(connectionId));
    }

    [Fact]
    public void Preimage_layout_without_vault_or_expiry()
    {
        var action = new JsonObject { ["type"] = "scheduleCancel" };
        var expected = Keccak256.Hash([.. ActionHasher.Pack(action), .. BigEndian(1234567890123), 0x00]);

        Assert.Equal(expected, ActionHasher.ConnectionId(action, 1234567890123, null));
    }

    [Fact]
    public void Preimage_layout_with_vault()
    {
        var action = new JsonObject { ["type"] = "scheduleCancel" };
        var expected = Keccak256.Hash([.. ActionHasher.Pack(action), .. BigEndian(7), 0x01, .. Convert.FromHexString(Vault[2..])]);

        Assert.Equal(expected, ActionHasher.ConnectionId(action, 7, Vault));
        // The vault's letter case is not part of the hash.
        Assert.Equal(expected, ActionHasher.ConnectionId(action, 7, EthereumAddress.ToChecksum(Vault)));
    }

    [Fact]
    public void Preimage_layout_with_expiry()
    {
        // Per the SDK's action_hash: expiry is appended as 0x00 + 8 bytes big-endian, after the vault part.
        var action = new JsonObject { ["type"] = "scheduleCancel" };
        var noVault = Keccak256.Hash([.. ActionHasher.Pack(action), .. BigEndian(7), 0x00, 0x00, .. BigEndian(1700000000000)]);
        var withVault = Keccak256.Hash(
            [.. ActionHasher.Pack(action), .. BigEndian(7), 0x01, .. Convert.FromHexString(Vault[2..]), 0x00, .. BigEndian(1700000000000)]);

        Assert.Equal(noVault, ActionHasher.ConnectionId(action, 7, null, 1700000000000));
        Assert.Equal(withVault, ActionHasher.ConnectionId(action, 7, Vault, 1700000000000));
        Assert.NotEqual(ActionHasher.ConnectionId(action, 7, null), ActionHasher.ConnectionId(action, 7, null, 1700000000000));
    }

    [Fact]
    public void Key_order_changes_the_hash()
    {
        var ordered = JsonNode.Parse("""{"type":"cancel","cancels":[{"a":1,"o":2}]}""")!.AsObject();
        var swapped = JsonNode.Parse("""{"type":"cancel","cancels":[{"o":2,"a":1}]}""")!.AsObject();

        Assert.NotEqual(ActionHasher.ConnectionId(ordered, 1, null), ActionHasher.ConnectionId(swapped, 1, null));
    }

    [Theory]
    [InlineData("0x1234")]
    [InlineData("1719884eb866cb12b2287399b15f7db5e7d775ea")]
    [InlineData("0x1719884eB866cb12b2287399b15f7db5e7d775ea")] // mixed case with a wrong checksum
    public void Rejects_malformed_vault_addresses(string vault)
    {
        var action = new JsonObject { ["type"] = "scheduleCancel" };

        var error = Assert.Throws<ArgumentException>(() => ActionHasher.ConnectionId(action, 1, vault));
        Assert.Contains("vaultAddress", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_negative_nonce_and_expiry()
    {
        var action = new JsonObject { ["type"] = "scheduleCancel" };

        Assert.Throws<ArgumentOutOfRangeException>(() => ActionHasher.ConnectionId(action, -1, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => ActionHasher.ConnectionId(action, 1, null, -5));
    }

    [Fact]
    public void Rejects_float_prices_naming_the_field()
    {
        var action = JsonNode.Parse("""{"type":"order","orders":[{"a":4,"b":true,"p":1670.1,"s":"0.0147","r":false,"t":{"limit":{"tif":"Ioc"}}}],"grouping":"na"}""")!.AsObject();

        var error = Assert.Throws<ArgumentException>(() => ActionHasher.ConnectionId(action, 1, null));
        Assert.Contains("$.orders[0].p", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Canonicalize_rewrites_integral_numbers_and_keeps_order_and_hash()
    {
        var action = JsonNode.Parse("""{"type":"scheduleCancel","time":1.7e12,"z":null,"flag":true,"list":[5.0,"x"]}""")!.AsObject();

        var canonical = ActionHasher.Canonicalize(action);

        Assert.Equal("""{"type":"scheduleCancel","time":1700000000000,"z":null,"flag":true,"list":[5,"x"]}""", canonical.ToJsonString());
        Assert.Equal(ActionHasher.ConnectionId(action, 1, null), ActionHasher.ConnectionId(canonical, 1, null));
    }

    private static byte[] BigEndian(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }
}
