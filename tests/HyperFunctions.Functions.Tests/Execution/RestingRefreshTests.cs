using System.Globalization;
using HyperFunctions.Functions.Execution;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Hyperliquid.Rest;
using HyperFunctions.Simulator;
using HyperFunctions.Storage.Execution;
using HyperFunctions.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace HyperFunctions.Functions.Tests.Execution;

/// <summary>
/// The RefreshRestingOrders timer against the project's Hyperliquid simulator and Azurite: orders recorded RESTING that
/// the venue later cancels (a cancel behind the table's back, its scheduleCancel dead man's switch) or fills are written
/// back after one pass. The simulator runs on a FakeTimeProvider (its market ticker off, so nothing moves by itself):
/// scheduleCancel fires when the test advances that clock, never on the wall clock. The pass is invoked as the
/// scheduler invokes it (through the function catalog).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RestingRefreshTests(AzuriteFixture azurite) : VenueOrderTestBase(azurite, 23)
{
    private readonly FakeTimeProvider _simTime = new(DateTimeOffset.UtcNow);

    protected override SimulatorOptions SimulatorOptionsFor(int seed) =>
        new() { Seed = seed, TimeProvider = _simTime, MarketTickInterval = TimeSpan.Zero };

    private static Task<string> RefreshAsync(TestApp app) =>
        app.App.Services.GetRequiredService<FunctionCatalog>().Get<ITimerFunction>("RefreshRestingOrders")
            .RunAsync(new TimerInvocation(DateTimeOffset.UtcNow, false), CancellationToken.None);

    /// <summary>Resting BTC buys below the mid (each a little lower), placed through the route and the executor; their cloids.</summary>
    private async Task<List<string>> RestAsync(TestApp app, int count)
    {
        var mid = (await app.App.Services.GetRequiredService<IHyperliquidInfoClient>().GetAllMidsAsync(CancellationToken.None))["BTC"];
        var cloids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var px = decimal.Round(mid * (0.95m - (0.01m * i)), 0).ToString(CultureInfo.InvariantCulture);
            cloids.Add(await PostOrderAsync(app, $$"""{"coin":"BTC","side":"buy","size":"0.001","type":"limit","limitPrice":"{{px}}","tif":"Gtc"}"""));
        }
        Assert.All(await DeliverAllAsync(app), s => Assert.Contains("RESTING", s, StringComparison.Ordinal));
        foreach (var cloid in cloids) Assert.Equal("RESTING", (string?)(await OrderAsync(app, cloid))["status"]);
        return cloids;
    }

    [Fact]
    public async Task An_order_cancelled_at_the_venue_behind_the_tables_back_is_recorded_CANCELED_after_one_pass()
    {
        await using var app = await StartAsync();
        await PromoteAsync(app);
        var cloids = await RestAsync(app, 2);
        Assert.StartsWith("checked 2: filled 0, canceled 0, other changes 0, unchanged 2", await RefreshAsync(app), StringComparison.Ordinal); // nothing changed: nothing written
        Assert.Equal(3, Changes(await OrderAsync(app, cloids[0])).Length);

        var direct = await app.App.Services.GetRequiredService<HyperliquidExecutionAdapter>().CancelAsync("BTC", cloids[0], CancellationToken.None);
        Assert.True(direct.Cancelled, direct.Error);

        Assert.StartsWith("checked 2: filled 0, canceled 1, other changes 0, unchanged 1", await RefreshAsync(app), StringComparison.Ordinal);
        var order = await OrderAsync(app, cloids[0]);
        Assert.Equal("CANCELED", (string?)order["status"]);
        Assert.Equal(["RECEIVED", "SENDING", "RESTING", "CANCELED"], Changes(order));
        Assert.Equal(RestingOrderRefresher.Actor, (string?)order["changes"]!.AsArray()[^1]!["actor"]);
        Assert.Contains("status canceled", (string?)order["reason"], StringComparison.Ordinal);
        Assert.Equal("RESTING", (string?)(await OrderAsync(app, cloids[1]))["status"]);

        // The cancelled one left the resting index: the next pass asks only about the other.
        Assert.StartsWith("checked 1:", await RefreshAsync(app), StringComparison.Ordinal);
        var store = app.App.Services.GetRequiredService<OrderStore>();
        Assert.Equal([cloids[1]], (await store.ListRestingAsync(null, 10, CancellationToken.None)).Select(o => o.Cloid));

        // Status (from memory) and metrics.
        var monitor = app.App.Services.GetRequiredService<ExecutionMonitor>();
        var read = new TaskCompletionSource<ExecutionStorageView>(TaskCreationOptions.RunContinuationsAsynchronously);
        monitor.StorageRead += v =>
        {
            if (v.RestingOpen == 1) read.TrySetResult(v); // a read begun before the pass may still say 2: wait for one after it
        };
        if (monitor.Storage is { RestingOpen: 1 } already) read.TrySetResult(already);
        var view = await read.Task.WaitAsync(TimeSpan.FromSeconds(60)); // a hang guard, not a timing: the background refresh signals each read
        Assert.Equal((1, 0), (view.RestingOpen, view.AcceptedOpen));
        var (_, status) = await app.SendAsync(HttpMethod.Get, "/api/status", TestApp.FunctionKey);
        var execution = status!["execution"]!;
        Assert.Equal(1, (int)execution["restingOpen"]!);
        Assert.Equal((1, 0), ((int)execution["lastRestingRefresh"]!["checked"]!, (int)execution["lastRestingRefresh"]!["canceled"]!));
        var metrics = await app.MetricsAsync();
        Assert.Matches(@"(?m)^hf_execution_resting_refreshed_total\{[^}]*result=""CANCELED""[^}]*\} 1(\s|$)", metrics);
        Assert.Matches(@"(?m)^hf_execution_resting_open(\{[^}]*\})? 1(\s|$)", metrics);
    }

    [Fact]
    public async Task An_order_the_venue_fills_later_is_recorded_FILLED_after_one_pass()
    {
        await using var app = await StartAsync();
        await PromoteAsync(app);
        var cloid = Assert.Single(await RestAsync(app, 1));
        var limit = decimal.Parse((string)(await OrderAsync(app, cloid))["limitPrice"]!, CultureInfo.InvariantCulture);

        Sim.Market.SetPrice("BTC", limit * 0.98m); // the market falls through the buy's limit: the venue fills it
        Assert.Equal("filled", await VenueStatusAsync(cloid));
        Assert.Equal("RESTING", (string?)(await OrderAsync(app, cloid))["status"]);

        Assert.StartsWith("checked 1: filled 1,", await RefreshAsync(app), StringComparison.Ordinal);
        var order = await OrderAsync(app, cloid);
        Assert.Equal("FILLED", (string?)order["status"]);
        Assert.Equal(["RECEIVED", "SENDING", "RESTING", "FILLED"], Changes(order));
        Assert.Equal("0.001", (string?)order["filledSize"]);
        // orderStatus carries no price: the pass asked for the account's fills once and took this cloid's.
        var fill = Assert.Single((await InfoAsync($$"""{"type":"userFills","user":"{{Dev}}"}""")).AsArray(), f => (string?)f!["cloid"] == cloid)!;
        Assert.True(decimal.Parse((string)fill["px"]!, CultureInfo.InvariantCulture) == decimal.Parse((string)order["averagePrice"]!, CultureInfo.InvariantCulture), $"{order.ToJsonString()} vs {fill.ToJsonString()}");
        Assert.StartsWith("checked 0:", await RefreshAsync(app), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_venues_scheduleCancel_firing_is_recorded_CANCELED_with_its_status()
    {
        await using var app = await StartAsync();
        await PromoteAsync(app);
        var cloids = await RestAsync(app, 2);
        var adapter = app.App.Services.GetRequiredService<HyperliquidExecutionAdapter>();
        var armed = await adapter.ScheduleCancelAsync(_simTime.GetUtcNow() + TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.True(armed.Armed, armed.Error);
        Assert.Equal(2, (await OpenOrdersAtVenueAsync()).Count);

        _simTime.Advance(TimeSpan.FromSeconds(31)); // the venue's dead man's switch fires (on the simulator's clock)
        Assert.Empty(await OpenOrdersAtVenueAsync());
        Assert.Equal("scheduledCancel", await VenueStatusAsync(cloids[0]));

        Assert.StartsWith("checked 2: filled 0, canceled 2,", await RefreshAsync(app), StringComparison.Ordinal);
        foreach (var cloid in cloids)
        {
            var order = await OrderAsync(app, cloid);
            Assert.Equal("CANCELED", (string?)order["status"]);
            Assert.Contains("scheduledCancel", (string?)order["reason"], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_pass_is_bounded_and_the_next_passes_take_the_rest_round_robin()
    {
        await using var app = await StartAsync(new() { ["Execution:RestingRefresh:MaxPerRun"] = "2" });
        await PromoteAsync(app);
        var cloids = await RestAsync(app, 3);
        var canceller = app.App.Services.GetRequiredService<HyperliquidExecutionAdapter>();
        foreach (var cloid in cloids) Assert.True((await canceller.CancelAsync("BTC", cloid, CancellationToken.None)).Cancelled);

        Assert.StartsWith("checked 2: filled 0, canceled 2,", await RefreshAsync(app), StringComparison.Ordinal);
        Assert.StartsWith("checked 1: filled 0, canceled 1,", await RefreshAsync(app), StringComparison.Ordinal);
        foreach (var cloid in cloids) Assert.Equal("CANCELED", (string?)(await OrderAsync(app, cloid))["status"]);
        Assert.StartsWith("checked 0:", await RefreshAsync(app), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Round_robin_reaches_every_resting_order_even_when_none_changes()
    {
        await using var app = await StartAsync(new() { ["Execution:RestingRefresh:MaxPerRun"] = "2" });
        await PromoteAsync(app);
        var cloids = await RestAsync(app, 3);
        var ordered = cloids.Order(StringComparer.Ordinal).ToList();

        Assert.StartsWith("checked 2:", await RefreshAsync(app), StringComparison.Ordinal); // the first two
        // The last in cloid order has not been asked yet; cancel it at the venue: the next pass must reach it.
        Assert.True((await app.App.Services.GetRequiredService<HyperliquidExecutionAdapter>().CancelAsync("BTC", ordered[2], CancellationToken.None)).Cancelled);
        Assert.StartsWith("checked 2: filled 0, canceled 1,", await RefreshAsync(app), StringComparison.Ordinal); // the third, then wraps to the first
        Assert.Equal("CANCELED", (string?)(await OrderAsync(app, ordered[2]))["status"]);
    }
}
