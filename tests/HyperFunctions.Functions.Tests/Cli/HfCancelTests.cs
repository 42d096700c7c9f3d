using HyperFunctions.Cli;
using HyperFunctions.Functions.Tests.Execution;
using HyperFunctions.TestSupport;

namespace HyperFunctions.Functions.Tests.Cli;

/// <summary>
/// <c>hf cancel</c> run in-process (HfCli.RunAsync) against the REAL function app on a loopback port, Azurite and the
/// project's Hyperliquid simulator. Same collection as the execution tests: one at a time, each owns the queue.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class HfCancelTests(AzuriteFixture azurite) : VenueOrderTestBase(azurite, 19)
{
    private const string FarBelow = """{"coin":"BTC","side":"buy","size":"0.02","type":"limit","limitPrice":"1000","tif":"Gtc"}""";

    [Fact]
    public async Task Cancel_cancels_a_resting_order_at_the_venue_withdraws_one_never_sent_and_refuses_the_rest_with_exit_codes()
    {
        await using var app = await StartAsync(realPort: true);
        await PromoteAsync(app);
        var resting = await PostOrderAsync(app, FarBelow);
        Assert.Contains("RESTING", Assert.Single(await DeliverAllAsync(app)), StringComparison.Ordinal);

        // A resting order: cancelled at the venue, recorded with the operator and the reason.
        var run = await HfRun.RunAsync(HfRun.AdminEnvironment(app), "cancel", resting.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal),
            "--reason", "desk: price moved", "--operator", "alice");
        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.StartsWith($"order {resting}: CANCELED (cancelled), venue status canceled, ", run.Output, StringComparison.Ordinal);
        Assert.Empty(await OpenOrdersAtVenueAsync());
        var last = (await OrderAsync(app, resting))["changes"]!.AsArray()[^1]!;
        Assert.Equal("operator:alice", (string?)last["actor"]);
        Assert.Contains("desk: price moved", (string?)last["reason"], StringComparison.Ordinal);

        // The same again: the API's 409 (ORDER_FINAL) is exit 5, on stderr.
        var again = await HfRun.RunAsync(HfRun.AdminEnvironment(app), "cancel", resting, "--reason", "again");
        Assert.True(again.ExitCode == ExitCodes.Refused, again.ToString());
        Assert.Equal("", again.Output);
        Assert.Contains("HTTP 409 Conflict", again.Error, StringComparison.Ordinal);
        Assert.Contains("(code ORDER_FINAL)", again.Error, StringComparison.Ordinal);

        // An intent never sent: withdrawn, the venue not asked; its queued message then places nothing.
        var queued = await PostOrderAsync(app, FarBelow);
        var withdrawn = await HfRun.RunAsync(HfRun.AdminEnvironment(app), "cancel", queued, "--reason", "changed my mind", "--json");
        Assert.True(withdrawn.ExitCode == ExitCodes.Success, withdrawn.ToString());
        Assert.Contains("\"result\":\"withdrawn\"", withdrawn.Output, StringComparison.Ordinal); // --json: the API's answer as received
        Assert.Contains("already CANCELED", Assert.Single(await DeliverAllAsync(app)), StringComparison.Ordinal);
        Assert.Empty(await OpenOrdersAtVenueAsync());

        // A cloid no intent has: exit 2. A malformed one: exit 2 before anything is sent.
        var unknown = await HfRun.RunAsync(HfRun.AdminEnvironment(app), "cancel", "0x" + new string('b', 32), "--reason", "x");
        Assert.True(unknown.ExitCode == ExitCodes.InvalidInput, unknown.ToString());
        Assert.Contains($"No order intent has cloid 0x{new string('b', 32)}.", unknown.Error, StringComparison.Ordinal);
        var malformed = await HfRun.RunAsync(HfRun.AdminEnvironment(app), "cancel", "0x12", "--reason", "x");
        Assert.True(malformed.ExitCode == ExitCodes.InvalidInput, malformed.ToString());
        Assert.Contains("cloid must be 0x and 32 hex digits; got '0x12'", malformed.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(TestApp.AdminKey, string.Concat(run, again, withdrawn, unknown, malformed), StringComparison.Ordinal);
    }
}
