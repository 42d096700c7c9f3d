using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using HyperFunctions.Cli;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Functions.Tests.Execution;
using HyperFunctions.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace HyperFunctions.Functions.Tests.Cli;

/// <summary>
/// <c>hf halt</c> and <c>hf status</c> run in-process (HfCli.RunAsync) against the REAL function app on a loopback
/// port (Kestrel, real sockets), Azurite and the project's Hyperliquid simulator. Orders rest at the simulator
/// because they are placed through POST /api/orders in ARMED_LIVE with limits far below the mid.
/// Same collection as the execution tests: one at a time, each owns the order-intents queue.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class HfHaltTests(AzuriteFixture azurite) : ExecutionTestBase(azurite, 13)
{
    [Fact]
    public async Task Halt_cancel_all_cancels_the_resting_order_at_the_venue_HALTs_KILL_SWITCH_and_names_the_cloid()
    {
        await using var app = await StartAsync(realPort: true);
        var cloid = await RestAsync(app, "BTC", "0.02", "1000");

        var run = await HfRun.RunAsync(new() { [ApiKeyVariables.Admin] = TestApp.AdminKey },
            "halt", "--reason", "desk: stop everything", "--cancel-all", "--operator", "alice", "--url", app.Address!.ToString());

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Equal("", run.Error);
        Assert.StartsWith("HALT KILL_SWITCH: applied (ledger v", run.Output, StringComparison.Ordinal);
        Assert.Contains("message: desk: stop everything (by operator:alice", run.Output, StringComparison.Ordinal);
        Assert.Contains("kill switch: complete in ", run.Output, StringComparison.Ordinal);
        Assert.Contains("cancel-all: 1 of 1 open orders cancelled", run.Output, StringComparison.Ordinal);
        Assert.Matches($@"BTC\s+oid \d+\s+cloid {cloid}\s+cancelled", run.Output);
        Assert.Contains("scheduleCancel: armed for ", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(TestApp.AdminKey, run.Output + run.Error, StringComparison.Ordinal);

        // At the venue nothing is open and the dead man's switch is armed; the ledger says HALT KILL_SWITCH by alice.
        Assert.Empty(await OpenOrdersAtVenueAsync());
        Assert.NotNull(Sim.Market.ScheduledCancelAt(Dev));
        var last = (await app.HistoryAsync(1))[0]!;
        Assert.Equal(("HALT", "KILL_SWITCH", "operator:alice", "desk: stop everything"),
            ((string?)last["to"], (string?)last["reason"], (string?)last["actor"], (string?)last["message"]));

        // hf status (function key, URL from HF_API_URL) confirms it, with this process's last kill switch.
        var status = await HfRun.RunAsync(new() { [ApiKeyVariables.Function] = TestApp.FunctionKey, ["HF_API_URL"] = app.Address.ToString() }, "status");
        Assert.True(status.ExitCode == ExitCodes.Success, status.ToString());
        Assert.Contains("safety: HALT KILL_SWITCH since ", status.Output, StringComparison.Ordinal);
        Assert.Contains("by operator:alice", status.Output, StringComparison.Ordinal);
        Assert.Contains("order gate: new orders refused, reduce-only refused, cancels allowed", status.Output, StringComparison.Ordinal);
        Assert.Contains("last kill switch (this process): complete", status.Output, StringComparison.Ordinal);
        Assert.Contains("1 of 1 open orders cancelled; scheduleCancel armed", status.Output, StringComparison.Ordinal);

        // Again, with --json: the API's answer unchanged. Already HALT KILL_SWITCH (unchanged), nothing left to cancel: still exit 0.
        var again = await HfRun.RunAsync(HfRun.AdminEnvironment(app), "halt", "--reason", "again", "--cancel-all", "--json");
        Assert.True(again.ExitCode == ExitCodes.Success, again.ToString());
        var json = JsonNode.Parse(again.Output)!;
        Assert.Equal(("unchanged", "HALT", "KILL_SWITCH"), ((string?)json["result"], (string?)json["mode"], (string?)json["reason"]));
        Assert.Equal(("complete", 0), ((string?)json["killSwitch"]!["outcome"], (int)json["killSwitch"]!["cancel"]!["found"]!));

        var statusJson = await HfRun.RunAsync(new() { [ApiKeyVariables.Admin] = TestApp.AdminKey, ["HF_API_URL"] = app.Address.ToString() }, "status", "--json");
        Assert.Equal(0, statusJson.ExitCode);
        Assert.Equal("HALT", (string?)JsonNode.Parse(statusJson.Output)!["safety"]!["mode"]);
    }

    [Fact]
    public async Task With_the_venue_down_halt_cancel_all_exits_4_the_HALT_holds_and_the_order_is_still_open()
    {
        await using var app = await StartAsync(realPort: true);
        var cloid = await RestAsync(app, "BTC", "0.02", "1000");
        var fault = Sim.Faults.HttpErrors(503);

        var run = await HfRun.RunAsync(HfRun.AdminEnvironment(app), "halt", "--reason", "venue down", "--cancel-all");

        Assert.True(run.ExitCode == ExitCodes.KillSwitchIncomplete, run.ToString());
        Assert.StartsWith("HALT KILL_SWITCH: applied", run.Output, StringComparison.Ordinal);
        Assert.Contains("kill switch: cancel_failed", run.Output, StringComparison.Ordinal);
        Assert.Contains("cancel-all FAILED: ", run.Output, StringComparison.Ordinal);
        Assert.Contains("scheduleCancel: NOT armed: ", run.Output, StringComparison.Ordinal);
        Assert.Contains("the kill switch is cancel_failed: the cancel-all failed", run.Error, StringComparison.Ordinal);
        Assert.Contains("scheduleCancel not armed", run.Error, StringComparison.Ordinal);
        Assert.Contains("Open orders may remain at the venue", run.Error, StringComparison.Ordinal);

        Sim.Faults.Remove(fault.Id);
        Assert.Equal(cloid, (string?)Assert.Single(await OpenOrdersAtVenueAsync())!["cloid"]);
        Assert.Equal(("HALT", "KILL_SWITCH"), ((string?)(await app.HistoryAsync(1))[0]!["to"], (string?)(await app.HistoryAsync(1))[0]!["reason"]));

        // The advice works: run it again with the venue back, and it is complete.
        var again = await HfRun.RunAsync(HfRun.AdminEnvironment(app), "halt", "--reason", "again", "--cancel-all");
        Assert.True(again.ExitCode == ExitCodes.Success, again.ToString());
        Assert.Matches($@"cloid {cloid}\s+cancelled", again.Output);
        Assert.Empty(await OpenOrdersAtVenueAsync());
    }

    [Fact]
    public async Task Refusals_send_nothing_or_change_nothing_and_never_print_the_key()
    {
        await using var app = await StartAsync(realPort: true);
        var cloid = await RestAsync(app, "BTC", "0.02", "1000");
        var versionBefore = (long)(await app.HistoryAsync(1))[0]!["version"]!;
        var url = app.Address!.ToString();

        // No HF_ADMIN_KEY: exit 2 before anything is sent.
        var missing = await HfRun.RunAsync(new() { ["HF_API_URL"] = url }, "halt", "--reason", "x", "--cancel-all");
        Assert.True(missing.ExitCode == ExitCodes.InvalidInput, missing.ToString());
        Assert.Equal("", missing.Output);
        Assert.Contains("HF_ADMIN_KEY is not set", missing.Error, StringComparison.Ordinal);

        // A wrong key: 401, exit 3, the API's problem text, the key nowhere.
        const string wrong = "not-the-admin-key-987654321";
        var unauthorized = await HfRun.RunAsync(new() { [ApiKeyVariables.Admin] = wrong, ["HF_API_URL"] = url }, "halt", "--reason", "x", "--cancel-all");
        Assert.True(unauthorized.ExitCode == ExitCodes.ApiFailure, unauthorized.ToString());
        Assert.Equal("", unauthorized.Output);
        Assert.Contains($"POST {url}api/safety/halt failed: HTTP 401 Unauthorized", unauthorized.Error, StringComparison.Ordinal);
        Assert.Contains("A valid key is required", unauthorized.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, unauthorized.Error, StringComparison.Ordinal);

        // The function key is a valid key but not the admin key: 403, exit 3.
        var forbidden = await HfRun.RunAsync(new() { [ApiKeyVariables.Admin] = TestApp.FunctionKey, ["HF_API_URL"] = url }, "halt", "--reason", "x");
        Assert.True(forbidden.ExitCode == ExitCodes.ApiFailure, forbidden.ToString());
        Assert.Contains("HTTP 403 Forbidden", forbidden.Error, StringComparison.Ordinal);
        Assert.Contains("needs the admin key", forbidden.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(TestApp.FunctionKey, forbidden.Error, StringComparison.Ordinal);

        // The API's 400 is the caller's input: exit 2, naming the field.
        var tooLong = await HfRun.RunAsync(HfRun.AdminEnvironment(app), "halt", "--reason", new string('x', 1001), "--cancel-all");
        Assert.True(tooLong.ExitCode == ExitCodes.InvalidInput, tooLong.ToString());
        Assert.Contains("HTTP 400 Bad Request", tooLong.Error, StringComparison.Ordinal);
        Assert.Contains("message: At most 1000 characters.", tooLong.Error, StringComparison.Ordinal);

        // None of that halted or cancelled anything.
        Assert.Equal(versionBefore, (long)(await app.HistoryAsync(1))[0]!["version"]!);
        Assert.Equal(cloid, (string?)Assert.Single(await OpenOrdersAtVenueAsync())!["cloid"]);
        Assert.Null(Sim.Market.ScheduledCancelAt(Dev));

        // A plain halt (no --cancel-all) HALTs MANUAL_HALT and cancels nothing.
        var plain = await HfRun.RunAsync(HfRun.AdminEnvironment(app), "halt", "--reason", "plain halt");
        Assert.True(plain.ExitCode == ExitCodes.Success, plain.ToString());
        Assert.StartsWith("HALT MANUAL_HALT: applied", plain.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("kill switch", plain.Output, StringComparison.Ordinal);
        Assert.Single(await OpenOrdersAtVenueAsync());
        Assert.Null(Sim.Market.ScheduledCancelAt(Dev));
    }

    [Fact]
    public async Task Promote_goes_LIVE_is_unchanged_when_LIVE_and_exits_5_when_the_ledger_refuses_it_from_HALT()
    {
        await using var app = await StartAsync(realPort: true);
        var environment = HfRun.AdminEnvironment(app);

        var promoted = await HfRun.RunAsync(environment, "promote", "--reason", "checks green", "--operator", "bob");
        Assert.True(promoted.ExitCode == ExitCodes.Success, promoted.ToString());
        Assert.Matches(@"^ARMED_LIVE [A-Z_]+: applied \(ledger v\d+\)", promoted.Output);
        Assert.Contains("message: checks green (by operator:bob", promoted.Output, StringComparison.Ordinal);
        var last = (await app.HistoryAsync(1))[0]!;
        Assert.Equal(("ARMED_LIVE", "operator:bob"), ((string?)last["to"], (string?)last["actor"]));

        var again = await HfRun.RunAsync(environment, "promote", "--reason", "again", "--json");
        Assert.True(again.ExitCode == ExitCodes.Success, again.ToString());
        Assert.Equal(("unchanged", "ARMED_LIVE"), ((string?)JsonNode.Parse(again.Output)!["result"], (string?)JsonNode.Parse(again.Output)!["mode"]));

        Assert.Equal(ExitCodes.Success, (await HfRun.RunAsync(environment, "halt", "--reason", "stop")).ExitCode);
        var versionBefore = (long)(await app.HistoryAsync(1))[0]!["version"]!;
        var refused = await HfRun.RunAsync(environment, "promote", "--reason", "too soon");
        Assert.True(refused.ExitCode == ExitCodes.Refused, refused.ToString());
        Assert.Equal("", refused.Output);
        Assert.Contains("api/safety/promote failed: HTTP 409 Conflict: Not allowed from the current state", refused.Error, StringComparison.Ordinal);
        Assert.Contains("(code ", refused.Error, StringComparison.Ordinal);
        Assert.Equal(versionBefore, (long)(await app.HistoryAsync(1))[0]!["version"]!);

        var status = await HfRun.RunAsync(environment, "status");
        Assert.Contains("safety: HALT MANUAL_HALT since ", status.Output, StringComparison.Ordinal);
    }

    /// <summary>Places one resting buy far below the mid through POST /api/orders and the executor; returns its cloid.</summary>
    private async Task<string> RestAsync(TestApp app, string coin, string size, string price)
    {
        Assert.Equal(200, (await app.SendAsync(HttpMethod.Post, "/api/safety/promote", TestApp.AdminKey, """{"reason":"hf halt test"}""")).Status);
        var (status, json) = await app.SendAsync(HttpMethod.Post, "/api/orders", TestApp.AdminKey,
            $$"""{"coin":"{{coin}}","side":"buy","size":"{{size}}","type":"limit","limitPrice":"{{price}}","tif":"Gtc"}""");
        Assert.True(status == 202, json?.ToJsonString());
        var cloid = (string)json!["cloid"]!;

        var function = app.App.Services.GetRequiredService<FunctionCatalog>().Get<IQueueFunction>("ExecuteOrderIntent");
        foreach (var m in (await Queue.ReceiveMessagesAsync(32)).Value)
        {
            await function.RunAsync(new QueueInvocation(m.MessageId, m.Body.ToString(), m.DequeueCount, m.InsertedOn), CancellationToken.None);
            await Queue.DeleteMessageAsync(m.MessageId, m.PopReceipt);
        }

        Assert.Equal(cloid, (string?)Assert.Single(await OpenOrdersAtVenueAsync())!["cloid"]);
        return cloid;
    }

    private async Task<JsonArray> OpenOrdersAtVenueAsync()
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(Sim.RestUrl, "info"), new StringContent($$"""{"type":"openOrders","user":"{{Dev}}"}""", Encoding.UTF8, "application/json"));
        return (await response.Content.ReadFromJsonAsync<JsonArray>())!;
    }
}

/// <summary>The environment variables hf reads its keys from (docs/cli.md).</summary>
internal static class ApiKeyVariables
{
    public const string Admin = "HF_ADMIN_KEY";
    public const string Function = "HF_FUNCTION_KEY";
}
