using System.Text;
using System.Text.Json.Nodes;
using HyperFunctions.Hyperliquid.Signing;

namespace HyperFunctions.Signing.Tests;

/// <summary>
/// The "Ether Mail" example of the EIP-712 specification, whose intermediate hashes and signature (key
/// keccak256("cow")) are published with it and reproduced by every major implementation.
/// </summary>
public class Eip712Tests
{
    private static readonly Dictionary<string, IReadOnlyList<(string Name, string Type)>> MailTypes = new()
    {
        ["Person"] = [("name", "string"), ("wallet", "address")],
        ["Mail"] = [("from", "Person"), ("to", "Person"), ("contents", "string")],
    };

    private static JsonObject MailMessage() => new()
    {
        ["from"] = new JsonObject { ["name"] = "Cow", ["wallet"] = "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826" },
        ["to"] = new JsonObject { ["name"] = "Bob", ["wallet"] = "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB" },
        ["contents"] = "Hello, Bob!",
    };

    [Fact]
    public void Encode_type_lists_dependencies_after_the_primary_type()
    {
        var encoded = Eip712.EncodeType("Mail", MailTypes);

        Assert.Equal("Mail(Person from,Person to,string contents)Person(string name,address wallet)", encoded);
        Assert.Equal("a0cedeb2dc280ba39b857546d74f5549c3a1d7bdc2dd96bf881f76108e23dac2",
            Convert.ToHexStringLower(Keccak256.Hash(Encoding.UTF8.GetBytes(encoded))));
    }

    [Fact]
    public void Domain_separator_struct_hash_and_digest_match_the_specification()
    {
        var domain = Eip712.DomainSeparator("Ether Mail", "1", 1, "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC");
        var mail = Eip712.HashStruct("Mail", MailTypes, MailMessage());
        var digest = Eip712.SigningDigest(domain, mail);

        Assert.Equal("f2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f", Convert.ToHexStringLower(domain));
        Assert.Equal("c52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e", Convert.ToHexStringLower(mail));
        Assert.Equal("be609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2", Convert.ToHexStringLower(digest));
    }

    [Fact]
    public void Signature_of_the_specification_example_is_reproduced_and_recovers()
    {
        var cowKey = "0x" + Convert.ToHexStringLower(Keccak256.Hash(Encoding.ASCII.GetBytes("cow")));
        var digest = Convert.FromHexString("be609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2");

        var signature = Secp256k1.Sign(digest, cowKey);

        Assert.Equal(
            new EcdsaSignature(
                "0x4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d",
                "0x07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b91562",
                28),
            signature);
        Assert.Equal("0xcd2a3d9f938e13cd947ec05abc7fe734df8dd826", Secp256k1.RecoverAddress(digest, signature));
    }

    [Fact]
    public void Missing_fields_and_unsupported_types_are_reported()
    {
        var missing = Assert.Throws<ArgumentException>(() =>
            Eip712.HashStruct("T", [("a", "string"), ("b", "uint64")], new JsonObject { ["a"] = "x" }));
        Assert.Contains("'b'", missing.Message, StringComparison.Ordinal);

        Assert.Throws<ArgumentException>(() =>
            Eip712.HashStruct("T", [("a", "fixed128x18")], new JsonObject { ["a"] = 1 }));
        Assert.Throws<ArgumentException>(() =>
            Eip712.HashStruct("T", [("a", "uint8")], new JsonObject { ["a"] = 256 }));
        Assert.Throws<ArgumentException>(() =>
            Eip712.HashStruct("T", [("a", "bytes32")], new JsonObject { ["a"] = "0x1234" }));
    }

    [Fact]
    public void Integers_may_be_numbers_or_strings()
    {
        var asNumber = Eip712.HashStruct("T", [("n", "uint64")], new JsonObject { ["n"] = 1687816341423 });
        var asDecimal = Eip712.HashStruct("T", [("n", "uint64")], new JsonObject { ["n"] = "1687816341423" });
        var asHex = Eip712.HashStruct("T", [("n", "uint64")], new JsonObject { ["n"] = "0x188f9b187af" });

        Assert.Equal(asNumber, asDecimal);
        Assert.Equal(asNumber, asHex);
    }
}
