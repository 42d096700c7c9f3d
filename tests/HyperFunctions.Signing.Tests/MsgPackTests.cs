using System.Text.Json.Nodes;
using HyperFunctions.Hyperliquid.Signing;

namespace HyperFunctions.Signing.Tests;

/// <summary>
/// Expected bytes follow the msgpack spec's format table, choosing the smallest format the way Python's
/// msgpack.packb does (unsigned family for non-negative values, signed family for negative ones).
/// </summary>
public class MsgPackTests
{
    [Theory]
    [InlineData(0L, "00")]
    [InlineData(1L, "01")]
    [InlineData(127L, "7f")]
    [InlineData(128L, "cc80")]
    [InlineData(255L, "ccff")]
    [InlineData(256L, "cd0100")]
    [InlineData(65535L, "cdffff")]
    [InlineData(65536L, "ce00010000")]
    [InlineData(4294967295L, "ceffffffff")]
    [InlineData(4294967296L, "cf0000000100000000")]
    [InlineData(100000000000L, "cf000000174876e800")]
    [InlineData(long.MaxValue, "cf7fffffffffffffff")]
    [InlineData(-1L, "ff")]
    [InlineData(-32L, "e0")]
    [InlineData(-33L, "d0df")]
    [InlineData(-128L, "d080")]
    [InlineData(-129L, "d1ff7f")]
    [InlineData(-32768L, "d18000")]
    [InlineData(-32769L, "d2ffff7fff")]
    [InlineData(-2147483648L, "d280000000")]
    [InlineData(-2147483649L, "d3ffffffff7fffffff")]
    [InlineData(long.MinValue, "d38000000000000000")]
    public void Integers_use_the_smallest_format(long value, string expectedHex)
    {
        Assert.Equal(expectedHex, Packed(JsonValue.Create(value)));
    }

    [Fact]
    public void Uint64_above_int64_range_is_packed_unsigned()
    {
        Assert.Equal("cfffffffffffffffff", Packed(JsonValue.Create(ulong.MaxValue)));
        Assert.Equal("cfffffffffffffffff", Packed(JsonNode.Parse("18446744073709551615")));
    }

    [Theory]
    [InlineData("7", "07")]
    [InlineData("128", "cc80")]
    [InlineData("-33", "d0df")]
    [InlineData("5.0", "05")]
    [InlineData("1e3", "cd03e8")]
    [InlineData("-0", "00")]
    public void Integral_numbers_parsed_from_text_are_integers(string json, string expectedHex)
    {
        Assert.Equal(expectedHex, Packed(JsonNode.Parse(json)));
    }

    [Fact]
    public void Integral_numbers_built_in_code_are_integers_whatever_their_clr_type()
    {
        Assert.Equal("cc80", Packed(JsonValue.Create(128)));
        Assert.Equal("cc80", Packed(JsonValue.Create((byte)128)));
        Assert.Equal("cc80", Packed(JsonValue.Create(128.0)));
        Assert.Equal("cc80", Packed(JsonValue.Create(128m)));
    }

    [Theory]
    [InlineData("1670.1")]
    [InlineData("0.0147")]
    [InlineData("1e-3")]
    [InlineData("18446744073709551616")] // 2^64 does not fit uint64
    [InlineData("-9223372036854775809")] // below int64
    public void Non_integral_or_out_of_range_numbers_are_rejected(string json)
    {
        var error = Assert.Throws<ArgumentException>(() => ActionHasher.Pack(new JsonObject { ["p"] = JsonNode.Parse(json) }));

        Assert.Contains("$.p", error.Message, StringComparison.Ordinal);
        Assert.Contains("strings", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Strings_use_fixstr_str8_and_str16()
    {
        Assert.Equal("a0", Packed(JsonValue.Create("")));
        Assert.Equal("a3616263", Packed(JsonValue.Create("abc")));
        Assert.Equal("bf" + Repeat("61", 31), Packed(JsonValue.Create(new string('a', 31))));
        Assert.Equal("d920" + Repeat("61", 32), Packed(JsonValue.Create(new string('a', 32))));
        Assert.Equal("d9ff" + Repeat("61", 255), Packed(JsonValue.Create(new string('a', 255))));
        Assert.Equal("da0100" + Repeat("61", 256), Packed(JsonValue.Create(new string('a', 256))));
        Assert.Equal("a2c3a9", Packed(JsonValue.Create("é"))); // length counts UTF-8 bytes
    }

    [Fact]
    public void Booleans_and_null()
    {
        Assert.Equal("c3", Packed(JsonValue.Create(true)));
        Assert.Equal("c2", Packed(JsonValue.Create(false)));
        Assert.Equal("c0", Packed(null));
        Assert.Equal("81a163c0", Packed(JsonNode.Parse("""{"c":null}""")));
    }

    [Fact]
    public void Maps_keep_insertion_order()
    {
        Assert.Equal("82a16201a16102", Packed(JsonNode.Parse("""{"b":1,"a":2}""")));
        Assert.Equal("82a16102a16201", Packed(JsonNode.Parse("""{"a":2,"b":1}""")));
    }

    [Fact]
    public void Map_and_array_headers_switch_to_16_bit_at_16_entries()
    {
        var fifteen = new JsonObject();
        var sixteen = new JsonObject();
        for (var i = 0; i < 16; i++)
        {
            if (i < 15)
            {
                fifteen[$"k{i:x}"] = 0;
            }

            sixteen[$"k{i:x}"] = 0;
        }

        Assert.StartsWith("8f", Packed(fifteen), StringComparison.Ordinal);
        Assert.StartsWith("de0010", Packed(sixteen), StringComparison.Ordinal);
        Assert.Equal("9f" + Repeat("00", 15), Packed(new JsonArray([.. Enumerable.Range(0, 15).Select(_ => (JsonNode?)JsonValue.Create(0))])));
        Assert.Equal("dc0010" + Repeat("00", 16), Packed(new JsonArray([.. Enumerable.Range(0, 16).Select(_ => (JsonNode?)JsonValue.Create(0))])));
    }

    [Fact]
    public void Order_action_packs_field_by_field()
    {
        // Hand-assembled from the format table: {"type":"order","orders":[{a:4,b:true,p:"1670.1",s:"0.0147",r:false,t:{limit:{tif:"Ioc"}}}],"grouping":"na"}
        var expected = string.Concat(
            "83",
            "a474797065", "a56f72646572",
            "a66f7264657273", "91",
            "86",
            "a161", "04",
            "a162", "c3",
            "a170", "a6313637302e31",
            "a173", "a6302e30313437",
            "a172", "c2",
            "a174", "81", "a56c696d6974", "81", "a3746966", "a3496f63",
            "a867726f7570696e67", "a26e61");

        Assert.Equal(expected, Packed(JsonNode.Parse(ActionHasherTests.EthIocOrderJson)));
    }

    private static string Packed(JsonNode? node) => Convert.ToHexStringLower(ActionHasher.Pack(node));

    private static string Repeat(string hex, int count) => string.Concat(Enumerable.Repeat(hex, count));
}
