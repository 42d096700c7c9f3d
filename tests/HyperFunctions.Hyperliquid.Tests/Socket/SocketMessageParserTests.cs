using System.Text;
using HyperFunctions.Hyperliquid.Socket;

namespace HyperFunctions.Hyperliquid.Tests.Socket;

public sealed class SocketMessageParserTests
{
    private static ParseStatus Parse(string json, out HyperliquidEvent? evt) =>
        SocketMessageParser.Parse(Encoding.UTF8.GetBytes(json), out _, out evt);

    [Fact]
    public void The_plain_text_greeting_is_tolerated()
    {
        Assert.Equal(ParseStatus.Greeting, Parse("Websocket connection established.", out var evt));
        Assert.Null(evt);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("garbage")]
    [InlineData("{\"channel\":\"l2Book\",\"data\":{\"coin\":\"BTC\"")]
    [InlineData("{\"data\":{}}")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"channel\":\"l2Book\",\"data\":{}}{\"x\":1}")]
    [InlineData("{\"channel\":\"l2Book\"}")]
    [InlineData("{\"channel\":\"l2Book\",\"data\":{\"coin\":\"BTC\",\"time\":\"notanumber\",\"levels\":[]}}")]
    public void Corrupt_frames_are_reported(string frame)
    {
        Assert.Equal(ParseStatus.Corrupt, Parse(frame, out _));
    }

    [Fact]
    public void L2Book_is_parsed_whatever_the_member_order()
    {
        const string Json = """{"data":{"coin":"BTC","time":1700000000000,"levels":[[{"px":"67000.5","sz":"1.2","n":3}],[{"px":"67001","sz":"0.5","n":1}]]},"channel":"l2Book"}""";

        Assert.Equal(ParseStatus.Message, Parse(Json, out var evt));
        var book = Assert.IsType<L2BookEvent>(evt).Book;
        Assert.Equal("BTC", book.Coin);
        Assert.Equal(67000.5m, book.Bids[0].Px);
        Assert.Equal(0.5m, book.Asks[0].Sz);
        Assert.Equal(3, book.Bids[0].N);
    }

    [Fact]
    public void Every_modelled_channel_maps_to_its_event()
    {
        var cases = new (string Json, Type Expected)[]
        {
            ("""{"channel":"allMids","data":{"mids":{"BTC":"67000.5","ETH":"3500"}}}""", typeof(AllMidsEvent)),
            ("""{"channel":"trades","data":[{"coin":"BTC","side":"B","px":"1","sz":"2","hash":"0xab","time":5,"tid":9,"users":["0x1","0x2"]}]}""", typeof(TradesEvent)),
            ("""{"channel":"bbo","data":{"coin":"BTC","time":5,"bbo":[{"px":"1","sz":"2","n":1},null]}}""", typeof(BboEvent)),
            ("""{"channel":"candle","data":{"t":1,"T":2,"s":"BTC","i":"1m","o":"1","c":"2","h":"3","l":"0.5","v":"10","n":4}}""", typeof(CandleEvent)),
            ("""{"channel":"userFills","data":{"isSnapshot":true,"user":"0xabc","fills":[]}}""", typeof(UserFillsEvent)),
            ("""{"channel":"orderUpdates","data":[{"order":{"coin":"BTC","side":"B","limitPx":"1","sz":"1","oid":7,"timestamp":5,"origSz":"1","cloid":"0x00000000000000000000000000000001"},"status":"open","statusTimestamp":5}]}""", typeof(OrderUpdatesEvent)),
            ("""{"channel":"user","data":{"funding":{"coin":"BTC","usdc":"-1.5","szi":"0.1","fundingRate":"0.0001"}}}""", typeof(UserEventsEvent)),
            ("""{"channel":"activeAssetCtx","data":{"coin":"BTC","ctx":{"funding":"0.0001","openInterest":"10","oraclePx":"1","markPx":"1","midPx":"1","premium":"0","prevDayPx":"1","dayNtlVlm":"5","impactPxs":["1","2"]}}}""", typeof(ActiveAssetCtxEvent)),
            ("""{"channel":"subscriptionResponse","data":{"method":"subscribe","subscription":{"type":"l2Book","coin":"BTC"}}}""", typeof(SubscriptionAckEvent)),
            ("""{"channel":"pong"}""", typeof(PongEvent)),
            ("""{"channel":"error","data":"Invalid subscription"}""", typeof(VenueErrorEvent)),
            ("""{"channel":"webData2","data":{"x":1}}""", typeof(UnknownChannelEvent)),
        };

        foreach (var (json, expected) in cases)
        {
            Assert.Equal(ParseStatus.Message, Parse(json, out var evt));
            Assert.IsType(expected, evt);
        }
    }

    [Fact]
    public void UserFills_snapshot_flag_and_data_flag_are_exposed()
    {
        Parse("""{"channel":"userFills","data":{"isSnapshot":true,"user":"0xabc","fills":[{"coin":"BTC","px":"1","sz":"1","side":"B","time":1,"startPosition":"0","dir":"Open Long","closedPnl":"0","hash":"0x1","oid":1,"crossed":true,"fee":"0.1","tid":5}]}}""", out var evt);
        var fills = Assert.IsType<UserFillsEvent>(evt);
        Assert.True(fills.Payload.IsSnapshot);
        Assert.Equal(5, fills.Payload.Fills[0].Tid);
        Assert.True(fills.IsData);

        Parse("""{"channel":"pong"}""", out var pong);
        Assert.False(pong!.IsData);
    }
}
