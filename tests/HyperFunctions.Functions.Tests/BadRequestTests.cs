using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using HyperFunctions.Functions.Http;
using HyperFunctions.TestSupport;

namespace HyperFunctions.Functions.Tests;

/// <summary>
/// Bodies and query strings that once answered 500, and their neighbours: each must be a 400 (or 413)
/// RFC 9457 problem whose errors map names the field, and must write nothing.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class BadRequestTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(azurite.ConnectionString);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    // Raw string literals keep \ud800 as the six characters of a JSON escape, as a caller would send it.
    [Theory]
    [InlineData("/api/safety/reset", """{"mode": "\ud800", "reason": 1e+308}""", "mode")]
    [InlineData("/api/safety/reset", """{"mode": "\ud800", "reason": 1e+308}""", "reason")]
    [InlineData("/api/safety/halt", """{"message":"x","message":"y"}""", "message")]
    [InlineData("/api/safety/promote", """{"reason":"ok","reason":"ok"}""", "reason")]
    [InlineData("/api/safety/promote", """{"reason":"\udc00"}""", "reason")]
    [InlineData("/api/safety/halt", """{"message":"ok \ud800 ok"}""", "message")]
    [InlineData("/api/safety/halt", """{"message":"\udfff\ud800"}""", "message")]
    [InlineData("/api/safety/halt", """{"message":"m","reasonCode":"\ud800"}""", "reasonCode")]
    [InlineData("/api/safety/reset", """{"mode":"HALT","message":"m","allowNonHalt":"\ud800"}""", "allowNonHalt")]
    [InlineData("/api/safety/halt", """{"\ud800":1,"message":"m"}""", @"\ud800")]
    [InlineData("/api/safety/halt", """{"message":"a\u0000b"}""", "message")]
    [InlineData("/api/safety/halt", """{"message":"bell\u0007"}""", "message")]
    [InlineData("/api/safety/promote", """{"reason":1e999}""", "reason")]
    [InlineData("/api/safety/promote", """{"reason":-0}""", "reason")]
    [InlineData("/api/safety/promote", """{"reason":123456789012345678901234567890}""", "reason")]
    [InlineData("/api/safety/promote", """{"reason":{"nested":{"deeper":[1,2,{"x":"\ud800"}]}}}""", "reason")]
    [InlineData("/api/safety/promote", """{"reason":["a"]}""", "reason")]
    [InlineData("/api/safety/promote", """{"reason":true}""", "reason")]
    [InlineData("/api/safety/promote", """{"reason":"   "}""", "reason")]
    [InlineData("/api/safety/promote", "", "body")]
    [InlineData("/api/safety/promote", " \r\n\t ", "body")]
    [InlineData("/api/safety/promote", "null", "body")]
    [InlineData("/api/safety/promote", "\"reason\"", "body")]
    [InlineData("/api/safety/promote", "1e+308", "body")]
    [InlineData("/api/safety/promote", """{"reason":"ok"} trailing""", "body")]
    [InlineData("/api/safety/promote", """{"reason":"ok"}{"reason":"ok"}""", "body")]
    [InlineData("/api/safety/promote", """{"reason":"ok",}""", "body")]
    [InlineData("/api/safety/promote", """{"reason":"ok" // comment""", "body")]
    [InlineData("/api/safety/promote", """{'reason':'ok'}""", "body")]
    [InlineData("/api/safety/promote", """{"reason":"\x"}""", "body")]
    [InlineData("/api/safety/promote", """{"reason":"ok""", "body")]
    [InlineData("/api/safety/promote", "{\"reason\":\"tab\there\"}", "body")]
    public async Task A_bad_body_is_a_400_naming_the_field_and_writes_nothing(string url, string body, string field)
    {
        await AssertRejectedAsync(url, Encoding.UTF8.GetBytes(body), "application/json", field);
    }

    [Fact]
    public async Task Deeply_nested_JSON_is_a_400_naming_the_body()
    {
        var deep = "{\"reason\":" + new string('[', 5000) + new string(']', 5000) + "}";
        await AssertRejectedAsync("/api/safety/promote", Encoding.UTF8.GetBytes(deep), "application/json", "body");
    }

    [Fact]
    public async Task Bytes_that_are_not_UTF_8_are_a_400()
    {
        byte[] inValue = [.. "{\"reason\":\""u8, 0xFF, 0xFE, 0xC0, 0x80, .. "\"}"u8];
        byte[] inName = [.. "{\""u8, 0xED, 0xA0, 0x80, .. "\":1,\"reason\":\"x\"}"u8];
        byte[] utf16 = Encoding.Unicode.GetBytes("{\"reason\":\"x\"}");
        var first = await AssertRejectedAsync("/api/safety/promote", inValue, "application/json", "reason");
        var second = await AssertRejectedAsync("/api/safety/promote", inName, "application/json", null);
        await AssertRejectedAsync("/api/safety/promote", utf16, "application/json; charset=utf-16", "body");
        Assert.Equal(["reason"], first.Keys);
        Assert.Equal(["\uFFFD\uFFFD\uFFFD"], second.Keys); // the unreadable name, its bad bytes replaced
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_with_or_without_a_content_length()
    {
        var big = Encoding.UTF8.GetBytes("{\"reason\":\"" + new string('a', JsonBody.MaxBytes) + "\"}");
        var sized = await SendAsync(HttpMethod.Post, "/api/safety/promote", big, "application/json", chunked: false);
        var chunked = await SendAsync(HttpMethod.Post, "/api/safety/promote", big, "application/json", chunked: true);
        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.RequestEntityTooLarge), (sized.Status, chunked.Status));
        Assert.NotNull(chunked.Json!["errors"]!["body"]);
        Assert.Single(await _app.HistoryAsync());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData(null)]
    public async Task The_body_is_read_as_JSON_whatever_the_content_type(string? contentType)
    {
        var (status, json) = await SendAsync(HttpMethod.Post, "/api/safety/promote", """{"reason":"desk ready"}"""u8.ToArray(), contentType, chunked: false);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ARMED_LIVE", (string?)json!["mode"]);
    }

    [Fact]
    public async Task A_UTF_8_byte_order_mark_is_allowed()
    {
        byte[] body = [0xEF, 0xBB, 0xBF, .. """{"reason":"desk ready"}"""u8];
        var (status, _) = await SendAsync(HttpMethod.Post, "/api/safety/promote", body, "application/json", chunked: false);
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task A_form_or_multipart_body_is_a_400()
    {
        await AssertRejectedAsync("/api/safety/promote", "reason=desk+ready"u8.ToArray(), "application/x-www-form-urlencoded", "body");
        await AssertRejectedAsync("/api/safety/promote", "--x\r\nContent-Disposition: form-data; name=\"reason\"\r\n\r\nok\r\n--x--"u8.ToArray(), "multipart/form-data; boundary=x", "body");
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("limit=%2B5", "limit")]
    [InlineData("limit=%205", "limit")]
    [InlineData("limit=1e3", "limit")]
    [InlineData("limit=5.0", "limit")]
    [InlineData("limit=99999999999999999999999", "limit")]
    [InlineData("limit=%ED%A0%80", "limit")]
    [InlineData("limit=%FF", "limit")]
    [InlineData("limit=%00", "limit")]
    [InlineData("limit=1,2", "limit")]
    [InlineData("limit=1&limit=2", "limit")]
    [InlineData("before=0", "before")]
    [InlineData("before=abc", "before")]
    [InlineData("before=9223372036854775808", "before")]
    [InlineData("before=1&before=", "before")]
    [InlineData("limit=", "limit")]
    [InlineData("before=", "before")]
    public async Task A_bad_history_query_is_a_400_naming_the_parameter(string query, string field)
    {
        var (status, json) = await _app.SendAsync(HttpMethod.Get, "/api/safety/history?" + query, TestApp.FunctionKey);
        Assert.Equal(400, status);
        Assert.NotNull(json!["errors"]![field]);
    }

    [Theory]
    [InlineData("limit=007")]
    [InlineData("before=9223372036854775807")]
    [InlineData("unknown=%ED%A0%80&x")]
    public async Task An_odd_but_valid_history_query_is_answered(string query)
    {
        var (status, json) = await _app.SendAsync(HttpMethod.Get, "/api/safety/history?" + query, TestApp.FunctionKey);
        Assert.Equal(200, status);
        Assert.NotNull(json!["items"]);
    }

    /// <summary>Every listing route reads limit with the one QueryReader: same rules, its own range in the message.</summary>
    [Theory]
    [InlineData("/api/safety/history", "", 500)]
    [InlineData("/api/safety/history", "0", 500)]
    [InlineData("/api/orders", "", 500)]
    [InlineData("/api/orders", "-3", 500)]
    [InlineData("/api/orders", "501", 500)]
    [InlineData("/api/orders", "1&limit=1", 500)]
    [InlineData("/api/failover/history", "", 100)]
    [InlineData("/api/failover/history", "abc", 100)]
    [InlineData("/api/failover/history", "101", 100)]
    [InlineData("/api/failover/history", "2&limit=3", 100)]
    [InlineData("/api/alerts", "", 500)]
    [InlineData("/api/alerts", "501", 500)]
    public async Task A_bad_limit_on_any_listing_route_is_a_400_naming_limit_and_its_range(string route, string value, int max)
    {
        var (status, json) = await _app.SendAsync(HttpMethod.Get, $"{route}?limit={value}", TestApp.FunctionKey);
        Assert.Equal(400, status);
        var message = (string?)Assert.Single(json!["errors"]!["limit"]!.AsArray());
        Assert.Contains($"a whole number from 1 to {max}", message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("/api/safety/history", 3)]
    [InlineData("/api/orders", 3)]
    [InlineData("/api/failover/history", 3)]
    [InlineData("/api/alerts", 3)]
    public async Task A_good_limit_on_any_listing_route_is_answered(string route, int limit)
    {
        var (status, json) = await _app.SendAsync(HttpMethod.Get, $"{route}?limit={limit}", TestApp.FunctionKey);
        Assert.True(status == 200, $"{route} answered {status}: {json?.ToJsonString()}");
    }

    private async Task<Dictionary<string, JsonNode?>> AssertRejectedAsync(string url, byte[] body, string? contentType, string? field)
    {
        using var response = await _app.Client.SendAsync(Build(HttpMethod.Post, url, body, contentType, chunked: false));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} for {Encoding.UTF8.GetString(body)}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(400, (int)json["status"]!);
        var errors = json["errors"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value);
        if (field is not null) Assert.True(errors.ContainsKey(field), $"errors name {string.Join(", ", errors.Keys)}, not {field}: {text}");
        Assert.Single(await _app.HistoryAsync()); // only the boot row
        return errors;
    }

    private async Task<(HttpStatusCode Status, JsonObject? Json)> SendAsync(HttpMethod method, string url, byte[] body, string? contentType, bool chunked)
    {
        using var response = await _app.Client.SendAsync(Build(method, url, body, contentType, chunked));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) as JsonObject : null);
    }

    private static HttpRequestMessage Build(HttpMethod method, string url, byte[] body, string? contentType, bool chunked)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Add("x-functions-key", TestApp.AdminKey);
        HttpContent content = chunked ? new UnsizedContent(body) : new ByteArrayContent(body);
        if (contentType is not null) content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Content = content;
        return request;
    }

    /// <summary>Content whose length is not known up front, so it travels without a Content-Length.</summary>
    private sealed class UnsizedContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
