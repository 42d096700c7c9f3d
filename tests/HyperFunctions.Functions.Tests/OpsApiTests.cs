using HyperFunctions.TestSupport;

namespace HyperFunctions.Functions.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class OpsApiTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Boot_shows_ARMED_SAFE_BOOT_with_config_hash_and_promote_records_both_transitions()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        var (status, json) = await app.SendAsync(HttpMethod.Get, "/api/status", TestApp.FunctionKey);
        Assert.Equal(200, status);
        Assert.Equal("ARMED_SAFE", (string?)json!["safety"]!["mode"]);
        Assert.Equal("BOOT", (string?)json["safety"]!["reason"]);
        Assert.StartsWith("sha256:", (string?)json["configHash"], StringComparison.Ordinal);
        Assert.Equal((string?)json["configHash"], (string?)json["safety"]!["configHash"]);
        Assert.False((bool)json["safety"]!["orderGate"]!["newOrders"]!);

        (status, json) = await app.SendAsync(HttpMethod.Post, "/api/safety/promote", TestApp.AdminKey, """{"reason":"desk ready"}""");
        Assert.Equal(200, status);
        Assert.Equal(("applied", "ARMED_LIVE"), ((string?)json!["result"], (string?)json["mode"]));

        var history = await app.HistoryAsync();
        Assert.Equal(["MANUAL_PROMOTE", "BOOT"], history.Select(h => (string?)h!["reason"]));
        Assert.Equal([2L, 1L], history.Select(h => (long)h!["version"]!));
    }

    [Fact]
    public async Task Keys_function_key_reads_only_admin_key_changes_state_no_key_is_401()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        Assert.Equal(401, (await app.SendAsync(HttpMethod.Get, "/api/status", null)).Status);
        Assert.Equal(401, (await app.SendAsync(HttpMethod.Get, "/api/status", "wrong-key-0123456789")).Status);
        Assert.Equal(200, (await app.SendAsync(HttpMethod.Get, "/api/status?code=" + TestApp.FunctionKey, null)).Status);
        Assert.Equal(401, (await app.SendAsync(HttpMethod.Post, "/api/safety/promote", null, """{"reason":"x"}""")).Status);
        Assert.Equal(403, (await app.SendAsync(HttpMethod.Post, "/api/safety/promote", TestApp.FunctionKey, """{"reason":"x"}""")).Status);
        Assert.Equal(200, (await app.SendAsync(HttpMethod.Get, "/api/health", null)).Status);
        Assert.Single(await app.HistoryAsync()); // only the boot row
    }

    [Theory]
    [InlineData("/api/safety/promote", "{not json")]
    [InlineData("/api/safety/promote", """{"reason":""}""")]
    [InlineData("/api/safety/promote", """{"reason":"ok","extra":1}""")]
    [InlineData("/api/safety/promote", "[]")]
    [InlineData("/api/safety/halt", """{"reasonCode":"NOPE","message":"x"}""")]
    [InlineData("/api/safety/halt", """{"reasonCode":"MANUAL_HALT"}""")]
    [InlineData("/api/safety/reset", """{"mode":"SIDEWAYS","message":"x"}""")]
    [InlineData("/api/safety/reset", """{"mode":"HALT","message":"x","allowNonHalt":"yes"}""")]
    public async Task A_malformed_body_is_400_naming_the_field_and_writes_nothing(string url, string body)
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        var (status, json) = await app.SendAsync(HttpMethod.Post, url, TestApp.AdminKey, body);
        Assert.Equal(400, status);
        Assert.NotEmpty(json!["errors"]!.AsObject());
        Assert.Single(await app.HistoryAsync());
    }

    [Fact]
    public async Task Halt_and_reset_follow_the_runbook_rules()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        var reset = await app.SendAsync(HttpMethod.Post, "/api/safety/reset", TestApp.AdminKey, """{"mode":"HALT","message":"x"}""");
        Assert.Equal(409, reset.Status);
        Assert.Equal("RESET_REQUIRES_ALLOW_NON_HALT", (string?)reset.Json!["code"]);

        var halt = await app.SendAsync(HttpMethod.Post, "/api/safety/halt", TestApp.AdminKey, """{"message":"desk call"}""");
        Assert.Equal(("HALT", "MANUAL_HALT"), ((string?)halt.Json!["mode"], (string?)halt.Json["reason"]));
        Assert.Equal(409, (await app.SendAsync(HttpMethod.Post, "/api/safety/promote", TestApp.AdminKey, """{"reason":"x"}""")).Status);

        var back = await app.SendAsync(HttpMethod.Post, "/api/safety/reset", TestApp.AdminKey, """{"mode":"ARMED_SAFE","reasonCode":"MANUAL_RESET","message":"checked"}""");
        Assert.Equal((200, "ARMED_SAFE"), (back.Status, (string?)back.Json!["mode"]));
    }

    [Fact]
    public async Task History_pages_and_rejects_bad_paging()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        for (var i = 0; i < 3; i++)
        {
            await app.SendAsync(HttpMethod.Post, "/api/safety/promote", TestApp.AdminKey, """{"reason":"up"}""");
            await app.SendAsync(HttpMethod.Post, "/api/safety/halt", TestApp.AdminKey, """{"message":"down"}""");
            await app.SendAsync(HttpMethod.Post, "/api/safety/reset", TestApp.AdminKey, """{"mode":"ARMED_SAFE","message":"again"}""");
        }
        var (_, page) = await app.SendAsync(HttpMethod.Get, "/api/safety/history?limit=4", TestApp.FunctionKey);
        Assert.Equal([10L, 9L, 8L, 7L], page!["items"]!.AsArray().Select(h => (long)h!["version"]!));
        var (_, next) = await app.SendAsync(HttpMethod.Get, $"/api/safety/history?limit=4&before={(long)page["nextBefore"]!}", TestApp.FunctionKey);
        Assert.Equal([6L, 5L, 4L, 3L], next!["items"]!.AsArray().Select(h => (long)h!["version"]!));
        Assert.Equal(400, (await app.SendAsync(HttpMethod.Get, "/api/safety/history?limit=0", TestApp.FunctionKey)).Status);
        Assert.Equal(400, (await app.SendAsync(HttpMethod.Get, "/api/safety/history?before=abc", TestApp.FunctionKey)).Status);
    }

    [Fact]
    public async Task Thirty_two_parallel_promote_and_halt_requests_leave_contiguous_versions_and_a_consistent_state()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        var responses = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => i % 2 == 0
            ? app.SendAsync(HttpMethod.Post, "/api/safety/promote", TestApp.AdminKey, """{"reason":"race"}""")
            : app.SendAsync(HttpMethod.Post, "/api/safety/halt", TestApp.AdminKey, """{"message":"race"}""")));
        Assert.All(responses, r => Assert.Contains(r.Status, new[] { 200, 409 }));

        var history = (await app.HistoryAsync()).OrderBy(h => (long)h!["version"]!).ToList();
        Assert.Equal(Enumerable.Range(1, history.Count).Select(v => (long)v), history.Select(h => (long)h!["version"]!));
        Assert.All(history.Zip(history.Skip(1)), p => Assert.Equal((string?)p.First!["to"], (string?)p.Second!["from"]));
        var (_, status) = await app.SendAsync(HttpMethod.Get, "/api/status", TestApp.FunctionKey);
        Assert.Equal((string?)history[^1]!["to"], (string?)status!["safety"]!["mode"]);
        Assert.Equal((long)history[^1]!["version"]!, (long)status["safety"]!["version"]!);
    }
}
