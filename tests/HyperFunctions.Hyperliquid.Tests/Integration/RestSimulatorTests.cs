using System.Text.Json.Nodes;
using HyperFunctions.Hyperliquid.Rest;
using HyperFunctions.Hyperliquid.Signing;
using HyperFunctions.Hyperliquid.Tests.Support;
using HyperFunctions.Simulator;
using Microsoft.Extensions.Time.Testing;

namespace HyperFunctions.Hyperliquid.Tests.Integration;

/// <summary>The REST clients against the simulator over real HTTP (client on a driven clock).</summary>
public sealed class RestSimulatorTests : IAsyncLifetime
{
    private static readonly string User = SimulatorAccount.Dev.Address;
    private HyperliquidSimulator _sim = null!;

    // The simulator's clock stands still here, so its rolling minute never rolls: its own budget is set
    // out of the way and the client's budget is what these tests see.
    public async Task InitializeAsync() =>
        _sim = await HyperliquidSimulator.StartAsync(new SimulatorOptions { Seed = 5, TimeProvider = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(55)), RestWeightPerMinute = 10_000 });

    public async Task DisposeAsync() => await _sim.DisposeAsync();

    [Fact]
    public async Task Every_info_request_parses_the_venue_shapes()
    {
        using var h = new RestHarness(_sim.RestUrl.ToString());
        var ct = CancellationToken.None;

        var mids = await h.Info.GetAllMidsAsync(ct);
        var book = await h.Info.GetL2BookAsync("BTC", ct);
        var meta = await h.Info.GetMetaAsync(ct);
        var ctxs = await h.Info.GetMetaAndAssetContextsAsync(ct);
        var state = await h.Info.GetClearinghouseStateAsync(User, ct);
        var open = await h.Info.GetOpenOrdersAsync(User, ct);
        var fills = await h.Info.GetUserFillsAsync(User, ct);
        var fillsByTime = await h.Info.GetUserFillsByTimeAsync(User, DateTimeOffset.UnixEpoch, null, ct);
        var byOid = await h.Info.GetOrderStatusAsync(User, 123L, ct);
        var byCloid = await h.Info.GetOrderStatusAsync(User, "0x0000000000000000000000000000abcd", ct);
        var funding = await h.Info.GetFundingHistoryAsync("BTC", DateTimeOffset.UnixEpoch, null, ct);

        Assert.True(mids.ContainsKey("BTC"));
        Assert.NotEmpty(book.Bids);
        Assert.NotEmpty(book.Asks);
        Assert.True(book.Bids[0].Px < book.Asks[0].Px);
        Assert.Contains(meta.Universe, a => a.Name == "BTC");
        Assert.Equal(ctxs.Meta.Universe.Count, ctxs.Contexts.Count);
        Assert.True(ctxs.Contexts[0].MarkPx > 0);
        Assert.True(state.MarginSummary.AccountValue > 0);
        Assert.Empty(open);
        Assert.Empty(fills);
        Assert.Empty(fillsByTime);
        Assert.False(byOid.IsKnown);
        Assert.Equal("unknownOid", byCloid.Status);
        Assert.NotNull(funding);
        Assert.Equal(11, _sim.Stats.RestRequests);
    }

    [Fact]
    public async Task A_429_burst_backs_off_then_the_lowered_budget_paces_requests_without_a_storm()
    {
        using var h = new RestHarness(_sim.RestUrl.ToString(), new Dictionary<string, string?> { ["Hyperliquid:Rest:MaxBudgetWait"] = "00:02:00" });
        _sim.Faults.RateLimit(requests: 3, retryAfter: TimeSpan.FromSeconds(2));
        var start = h.Time.GetUtcNow();

        // Backoff: one call meets three 429s, each honoured with a 2 s pause, and then succeeds.
        var book = await h.DriveAsync(h.Info.GetL2BookAsync("BTC", CancellationToken.None));
        Assert.Equal("BTC", book.Coin);
        Assert.Equal(4, _sim.Stats.RestRequests);
        Assert.Equal(3, _sim.Stats.RateLimitedResponses);
        Assert.True(h.Time.GetUtcNow() - start >= TimeSpan.FromSeconds(6), "three Retry-After pauses of 2 s");
        var episode = h.Monitor.Snapshot();
        Assert.Equal(3, episode.Current!.Count);
        Assert.Equal(602, episode.EffectiveBudget); // three 429s with no answer between them: one cut to 600; +2 for the answer

        // Lowered rate: 100 heavy requests (weight 2000) at once. Each answer lifts the budget by 10 while its
        // request spent 20, so however answers and requests interleave at most 59 go (8 + 20n <= 602 + 10n);
        // the rest waits for the window to free, a minute after the burst.
        var burst = Enumerable.Range(0, 100).Select(_ => h.Info.GetMetaAsync(CancellationToken.None)).ToArray();
        await h.Time.DriveAsync(Task.WhenAll(burst), TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(20));

        Assert.Equal(104, _sim.Stats.RestRequests);
        Assert.Equal(3, _sim.Stats.RateLimitedResponses);
        Assert.True(h.Time.GetUtcNow() - start >= TimeSpan.FromSeconds(60), "part of the burst waited for the window to free");
        Assert.InRange(h.Monitor.Snapshot().LocalWaits, 41, 71);
        Assert.Equal(0, h.Monitor.Snapshot().LocalRejections);
    }

    [Fact]
    public async Task Sustained_429_gives_up_with_a_bounded_number_of_requests()
    {
        using var h = new RestHarness(_sim.RestUrl.ToString());
        _sim.Faults.RateLimitFor(TimeSpan.FromHours(1));

        var calls = Enumerable.Range(0, 5).Select(_ => h.Info.GetAllMidsAsync(CancellationToken.None)).ToArray();
        await h.Time.DriveAsync(Task.WhenAll(calls).ContinueWith(_ => 0, TaskScheduler.Default), TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(20));

        Assert.All(calls, c => Assert.IsType<HyperliquidRateLimitedException>(c.Exception!.InnerException));
        // At most 5 × (1 + 3 retries); fewer when the lowered budget refuses a retry locally.
        var snapshot = h.Monitor.Snapshot();
        Assert.InRange(_sim.Stats.RestRequests, 5, 20);
        Assert.Equal(_sim.Stats.RestRequests, snapshot.Current!.Count);
        Assert.InRange(_sim.Stats.RestRequests + snapshot.LocalRejections, 5, 20);
    }

    [Fact]
    public async Task A_signed_order_posts_through_the_raw_exchange_client_and_a_reused_cloid_is_refused()
    {
        using var h = new RestHarness(_sim.RestUrl.ToString());
        var meta = await h.Info.GetMetaAsync(CancellationToken.None);
        var btc = meta.Universe.Select((a, i) => (a, i)).First(x => x.a.Name == "BTC");
        var book = await h.Info.GetL2BookAsync("BTC", CancellationToken.None);
        var px = WireFormat.FloatToWire(WireFormat.RoundPrice(book.Bids[0].Px * 0.9m, btc.a.SzDecimals));
        const string Cloid = "0x000000000000000000000000000000c1";

        var first = await h.Exchange.PostAsync(SignedOrder(btc.i, px, Cloid, nonce: 1_735_689_600_001), CancellationToken.None);
        var again = await h.Exchange.PostAsync(SignedOrder(btc.i, px, Cloid, nonce: 1_735_689_600_002), CancellationToken.None);
        var status = await h.Info.GetOrderStatusAsync(User, Cloid, CancellationToken.None);

        Assert.True(first.IsOk, first.RawBody);
        Assert.NotNull(first.Response!["data"]!["statuses"]![0]!["resting"]);
        Assert.Contains("error", again.Response?.ToJsonString() ?? again.RawBody, StringComparison.OrdinalIgnoreCase);
        Assert.True(status.IsKnown);
        Assert.Equal(Cloid, status.Order!.Order.Cloid);
    }

    private JsonObject SignedOrder(int asset, string px, string cloid, long nonce)
    {
        var action = new JsonObject
        {
            ["type"] = "order",
            ["orders"] = new JsonArray(new JsonObject
            {
                ["a"] = asset,
                ["b"] = true,
                ["p"] = px,
                ["s"] = "0.001",
                ["r"] = false,
                ["t"] = new JsonObject { ["limit"] = new JsonObject { ["tif"] = "Gtc" } },
                ["c"] = cloid,
            }),
            ["grouping"] = "na",
        };
        var sig = HyperliquidSigner.SignL1Action(SimulatorAccount.DevPrivateKey, action, nonce, null, _sim.Options.IsMainnet);
        return new JsonObject
        {
            ["action"] = action,
            ["nonce"] = nonce,
            ["signature"] = new JsonObject { ["r"] = sig.R, ["s"] = sig.S, ["v"] = sig.V },
        };
    }
}
