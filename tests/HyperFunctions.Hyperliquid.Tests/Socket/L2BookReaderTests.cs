using System.Text;
using System.Text.Json;
using HyperFunctions.Hyperliquid.Models;
using HyperFunctions.Hyperliquid.Serialization;
using HyperFunctions.Hyperliquid.Socket;

namespace HyperFunctions.Hyperliquid.Tests.Socket;

/// <summary>
/// The hand-written l2Book reader (the socket's hot path) reads exactly what the source-generated
/// deserialiser reads, and declines (so the deserialiser decides) whatever it does not expect.
/// </summary>
public sealed class L2BookReaderTests
{
    [Theory]
    [InlineData("""{"coin":"BTC","time":1700000000000,"levels":[[{"px":"67000.5","sz":"1.2","n":3},{"px":"66999","sz":"0.00001","n":1}],[{"px":"67001","sz":"0.5","n":1}]]}""")]
    [InlineData("""{"levels":[[],[]],"time":1,"coin":"ETH"}""")]
    [InlineData("""{"coin":"kPEPE","time":5,"levels":[[{"n":2,"sz":"10","px":"0.000012345"}],[]],"extra":{"nested":[1,2]}}""")]
    [InlineData("""{"coin":"BTC","time":7,"levels":[[{"px":"1","sz":"2","n":3}]]}""")]
    public void Reads_what_the_deserialiser_reads(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        Assert.True(L2BookReader.TryRead(bytes, out var fast));
        var reference = JsonSerializer.Deserialize(bytes, HyperliquidJsonContext.Default.L2Book)!;
        Assert.Equal(reference.Coin, fast!.Coin);
        Assert.Equal(reference.Time, fast.Time);
        Assert.Equal(reference.Levels.Count, fast.Levels.Count);
        for (var side = 0; side < reference.Levels.Count; side++) Assert.Equal(reference.Levels[side], fast.Levels[side]);
    }

    [Theory]
    [InlineData("""{"coin":"BTC","time":1,"levels":[[{"px":67000.5,"sz":"1","n":1}],[]]}""")]   // a number where the venue sends a string
    [InlineData("""{"coin":"B\u0054C","time":1,"levels":[[],[]]}""")]                          // escaped text
    [InlineData("""{"coin":"BTC","time":1}""")]                                                 // no levels
    [InlineData("""{"coin":"BTC","time":1,"levels":[[{"px":"1","sz":"1"}],[]]}""")]             // a level without n
    [InlineData("""{"coin":"BTC","time":1,"levels":[[],[],[]]}""")]                             // three sides
    [InlineData("""{"coin":"BTC","time":1,"levels":[[{"px":"1e3","sz":"1","n":1}],[]],}""")]    // not JSON
    public void Declines_what_it_does_not_expect(string json)
    {
        Assert.False(L2BookReader.TryRead(Encoding.UTF8.GetBytes(json), out _));
    }

    [Fact]
    public void A_book_the_reader_declines_still_parses_through_the_deserialiser()
    {
        const string Frame = """{"channel":"l2Book","data":{"coin":"BTC","time":1,"levels":[[{"px":67000.5,"sz":"1","n":1}],[]]}}""";
        Assert.Equal(ParseStatus.Message, SocketMessageParser.Parse(Encoding.UTF8.GetBytes(Frame), out _, out var evt));
        Assert.Equal(new L2Level(67000.5m, 1m, 1), Assert.IsType<L2BookEvent>(evt).Book.Bids[0]);
    }
}
