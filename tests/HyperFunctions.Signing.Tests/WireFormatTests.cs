using HyperFunctions.Hyperliquid.Signing;

namespace HyperFunctions.Signing.Tests;

public class WireFormatTests
{
    [Theory]
    [InlineData("100", "100")]
    [InlineData("100.00", "100")]
    [InlineData("0.0147", "0.0147")]
    [InlineData("1670.1", "1670.1")]
    [InlineData("1670.10000000", "1670.1")]
    [InlineData("0", "0")]
    [InlineData("-0", "0")]
    [InlineData("-0.00000000", "0")]
    [InlineData("0.00000001", "0.00000001")]
    [InlineData("-1.5", "-1.5")]
    [InlineData("123456789.12345678", "123456789.12345678")]
    [InlineData("1000000000000", "1000000000000")]
    [InlineData("0.000000010000", "0.00000001")]
    public void Float_to_wire_strips_trailing_zeros(string input, string expected)
    {
        Assert.Equal(expected, WireFormat.FloatToWire(decimal.Parse(input, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Negative_zero_decimal_becomes_zero()
    {
        Assert.Equal("0", WireFormat.FloatToWire(decimal.Negate(0.0m)));
    }

    [Theory]
    [InlineData("0.000000001")]
    [InlineData("1.123456789")]
    [InlineData("0.000000015")]
    public void Float_to_wire_refuses_values_it_would_round(string input)
    {
        var error = Assert.Throws<ArgumentException>(() =>
            WireFormat.FloatToWire(decimal.Parse(input, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains("8 decimals", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    // Integer prices are always allowed, even beyond 5 significant figures.
    [InlineData("123456", 0, true, "123456")]
    [InlineData("100000000", 5, true, "100000000")]
    // 5 significant figures.
    [InlineData("1670.123", 2, true, "1670.1")]
    [InlineData("12345.6", 0, true, "12346")]
    [InlineData("1.234567", 0, true, "1.2346")]
    [InlineData("0.0123456", 0, true, "0.012346")]
    // Non-integer price with ≥ 5 integer digits: the nearest integer (still a valid price).
    [InlineData("123456.7", 0, true, "123457")]
    // At most 6 − szDecimals decimals for perps (8 − szDecimals for spot).
    [InlineData("0.0123456", 2, true, "0.0123")]
    [InlineData("0.0123456", 4, true, "0.01")]
    [InlineData("0.0123456", 2, false, "0.012346")]
    [InlineData("0.00001234", 0, true, "0.000012")]
    [InlineData("0.00001234", 0, false, "0.00001234")]
    // Ties go to even, as Python's round().
    [InlineData("1.00005", 0, true, "1")]
    [InlineData("1.00015", 0, true, "1.0002")]
    // Rounding up can carry into a new digit.
    [InlineData("9.999996", 0, true, "10")]
    public void Round_price(string px, int szDecimals, bool isPerp, string expected)
    {
        var rounded = WireFormat.RoundPrice(decimal.Parse(px, System.Globalization.CultureInfo.InvariantCulture), szDecimals, isPerp);

        Assert.Equal(expected, WireFormat.FloatToWire(rounded));
    }

    [Fact]
    public void Round_price_rejects_bad_arguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WireFormat.RoundPrice(1.5m, 7));
        Assert.Throws<ArgumentOutOfRangeException>(() => WireFormat.RoundPrice(1.5m, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => WireFormat.RoundPrice(-1.5m, 2));
        Assert.Equal(2m, WireFormat.RoundPrice(1.5m, 8, isPerp: false)); // spot, szDecimals 8: no decimals left
    }

    [Theory]
    [InlineData("0.01471", 4, "0.0147")]
    [InlineData("0.01475", 4, "0.0148")] // tie → even
    [InlineData("0.01465", 4, "0.0146")] // tie → even
    [InlineData("12.7", 0, "13")]
    [InlineData("1.23456789", 8, "1.23456789")]
    public void Round_size(string sz, int szDecimals, string expected)
    {
        var rounded = WireFormat.RoundSize(decimal.Parse(sz, System.Globalization.CultureInfo.InvariantCulture), szDecimals);

        Assert.Equal(expected, WireFormat.FloatToWire(rounded));
    }

    [Theory]
    [InlineData("0x00000000000000000000000000000001", true)]
    [InlineData("0xabcdefABCDEF00000000000000000001", true)]
    [InlineData("0x0000000000000000000000000000001", false)]
    [InlineData("0x000000000000000000000000000000001", false)]
    [InlineData("00000000000000000000000000000000001", false)]
    [InlineData("0x0000000000000000000000000000000g", false)]
    [InlineData(null, false)]
    public void Cloid_validation(string? cloid, bool valid)
    {
        Assert.Equal(valid, Cloid.IsValid(cloid));
    }

    [Fact]
    public void Cloid_from_bytes()
    {
        Assert.Equal("0x000102030405060708090a0b0c0d0e0f", Cloid.FromBytes([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]));
        Assert.Throws<ArgumentException>(() => Cloid.FromBytes([1, 2]));
    }
}
