using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using HyperFunctions.Hyperliquid.Rest;
using HyperFunctions.Hyperliquid.Tests.Support;

namespace HyperFunctions.Hyperliquid.Tests.Rest;

/// <summary>/exchange is non-idempotent: only a 429 or a failed connect may be retried.</summary>
public sealed class ExchangeClientTests
{
    private const string Ok = """{"status":"ok","response":{"type":"order","data":{"statuses":[{"resting":{"oid":77}}]}}}""";

    private static JsonObject Body() => JsonNode.Parse(
        """{"action":{"type":"order","orders":[{"a":0,"b":true,"p":"100","s":"1","r":false,"t":{"limit":{"tif":"Gtc"}}}],"grouping":"na"},"nonce":1,"signature":{"r":"0x1","s":"0x2","v":27}}""")!.AsObject();

    [Fact]
    public async Task The_signed_body_is_posted_verbatim_and_the_answer_parsed()
    {
        var stub = new StubHandler((_, req, _) => req.RequestUri!.AbsolutePath == "/exchange" ? StubHandler.Json(Ok) : new HttpResponseMessage(HttpStatusCode.NotFound));
        using var h = new RestHarness("http://sim.invalid", primary: stub);

        var result = await h.Exchange.PostAsync(Body(), CancellationToken.None);

        Assert.True(result.IsOk);
        Assert.Equal(77, result.Response!["data"]!["statuses"]![0]!["resting"]!["oid"]!.GetValue<long>());
        Assert.Equal(Body().ToJsonString(), stub.Bodies.Single());
    }

    [Fact]
    public async Task A_venue_err_status_is_returned_not_thrown()
    {
        var stub = new StubHandler((_, _, _) => StubHandler.Json("""{"status":"err","response":"Order has invalid price."}"""));
        using var h = new RestHarness("http://sim.invalid", primary: stub);

        var result = await h.Exchange.PostAsync(Body(), CancellationToken.None);

        Assert.False(result.IsOk);
        Assert.Equal("Order has invalid price.", result.Error);
    }

    [Fact]
    public async Task A_5xx_is_not_retried_and_reports_an_unknown_outcome()
    {
        var stub = new StubHandler((_, _, _) => new HttpResponseMessage(HttpStatusCode.InternalServerError));
        using var h = new RestHarness("http://sim.invalid", primary: stub);

        await Assert.ThrowsAsync<ExchangeOutcomeUnknownException>(() => h.Exchange.PostAsync(Body(), CancellationToken.None));
        Assert.Equal(1, stub.Count);
    }

    [Fact]
    public async Task A_connection_dropped_after_sending_is_not_retried()
    {
        var stub = new StubHandler((_, _, _) => throw new HttpRequestException(HttpRequestError.ResponseEnded, "response ended"));
        using var h = new RestHarness("http://sim.invalid", primary: stub);

        await Assert.ThrowsAsync<ExchangeOutcomeUnknownException>(() => h.Exchange.PostAsync(Body(), CancellationToken.None));
        Assert.Equal(1, stub.Count);
    }

    [Fact]
    public async Task A_429_is_retried_and_then_succeeds()
    {
        var stub = new StubHandler((n, _, _) => n == 1 ? StubHandler.TooMany(TimeSpan.FromSeconds(1)) : StubHandler.Json(Ok));
        using var h = new RestHarness("http://sim.invalid", primary: stub);

        var result = await h.DriveAsync(h.Exchange.PostAsync(Body(), CancellationToken.None));

        Assert.True(result.IsOk);
        Assert.Equal(2, stub.Count);
    }

    [Fact]
    public async Task A_refused_connection_is_retried_then_reported_as_not_sent()
    {
        var stub = new StubHandler((_, _, _) => throw new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException((int)SocketError.ConnectionRefused)));
        using var h = new RestHarness("http://sim.invalid", primary: stub);

        var ex = await Assert.ThrowsAsync<HyperliquidUnavailableException>(() => h.DriveAsync(h.Exchange.PostAsync(Body(), CancellationToken.None)));

        Assert.Contains("not sent", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, stub.Count); // 1 + ExchangeMaxRetryAttempts (2)
    }
}
