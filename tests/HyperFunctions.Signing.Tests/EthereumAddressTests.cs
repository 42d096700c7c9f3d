using HyperFunctions.Hyperliquid.Signing;

namespace HyperFunctions.Signing.Tests;

public class EthereumAddressTests
{
    [Theory]
    // Widely published secp256k1/Ethereum key → address pairs (keys 1, 2 and the EIP-155 example key).
    [InlineData("0x0000000000000000000000000000000000000000000000000000000000000001", "0x7e5f4552091a69125d5dfcb7b8c2659029395bdf")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000002", "0x2b5ad5c4795c026514f8317c7a215e218dccd6cf")]
    [InlineData("0x4646464646464646464646464646464646464646464646464646464646464646", "0x9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f")]
    // keccak256("cow"), the key of the EIP-712 specification's example.
    [InlineData("0xc85ef7d79691fe79573b1a7064c19c1a9819ebdbd1faaab1a8ec92344438aaf4", "0xcd2a3d9f938e13cd947ec05abc7fe734df8dd826")]
    public void Derives_known_addresses(string key, string expected)
    {
        Assert.Equal(expected, EthereumAddress.FromPrivateKey(key));
    }

    [Theory]
    // The EIP-55 specification's examples.
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359")]
    [InlineData("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB")]
    [InlineData("0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb")]
    public void Computes_eip55_checksums(string checksummed)
    {
        Assert.Equal(checksummed, EthereumAddress.ToChecksum(checksummed.ToLowerInvariant()));
        Assert.True(EthereumAddress.IsValid(checksummed));
    }

    [Theory]
    [InlineData("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", true)]
    [InlineData("0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED", true)]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", false)] // one letter's case flipped: checksum fails
    [InlineData("0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea", false)]
    [InlineData("5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", false)]
    [InlineData("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beazz", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Validates_addresses(string? address, bool valid)
    {
        Assert.Equal(valid, EthereumAddress.IsValid(address));
    }

    [Fact]
    public void Normalizes_to_lowercase()
    {
        Assert.Equal("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", EthereumAddress.Normalize("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"));
    }
}
