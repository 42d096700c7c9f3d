using System.Net;
using HyperFunctions.Hyperliquid.Models;
using HyperFunctions.Hyperliquid.Rest;
using HyperFunctions.Hyperliquid.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace HyperFunctions.Hyperliquid.Tests.Rest;

/// <summary>The info client's pipeline against a scripted primary handler on a driven clock.</summary>
public sealed class InfoClientTests
{
    private const string Book = """{"coin":"BTC","time":1700000000000,"levels":[[{"px":"100","sz":"1","n":1}],[{"px":"101","sz":"2","n":2}]]}""";

    [Fact]
    public async Task Answers_are_typed_and_cached_with_their_age()
    {
        var stub = new StubHandler((_, _, body) => body.Contains("l2Book", StringComparison.Ordinal)
            ? StubHandler.Json(Book)
            : StubHandler.Json("""[{"universe":[{"name":"BTC","szDecimals":5,"maxLeverage":50}]},[{"funding":"0.0000125","openInterest":"10","oraclePx":"100","markPx":"100.5","midPx":null,"premium":"0.0001","prevDayPx":"99","dayNtlVlm":"1000","impactPxs":null}]]"""));
        using var h = new RestHarness("http://sim.invalid", primary: stub);

        var book = await h.Info.GetL2BookAsync("BTC", CancellationToken.None);
        var ctxs = await h.Info.GetMetaAndAssetContextsAsync(CancellationToken.None);
        h.Time.Advance(TimeSpan.FromSeconds(7));

        Assert.Equal(101m, book.Asks[0].Px);
        Assert.Equal("BTC", ctxs.Meta.Universe[0].Name);
        Assert.Equal(0.0000125m, ctxs.Contexts[0].Funding);
        Assert.Null(ctxs.Contexts[0].MidPx);
        Assert.Equal("""{"type":"l2Book","coin":"BTC"}""", stub.Bodies[0]);
        Assert.True(h.Info.TryGetCached<L2Book>(InfoRequestKind.L2Book, "BTC", out var cached, out var age));
        Assert.Same(book, cached);
        Assert.Equal(TimeSpan.FromSeconds(7), age);
        Assert.False(h.Info.TryGetCached<L2Book>(InfoRequestKind.L2Book, "ETH", out _, out _));
        Assert.True(h.Info.TryGetCached<MetaAndAssetContexts>(InfoRequestKind.MetaAndAssetCtxs, out _, out _));
    }

    [Fact]
    public async Task Transient_5xx_is_retried_with_backoff_then_succeeds()
    {
        var stub = new StubHandler((n, _, _) => n <= 2 ? new HttpResponseMessage(HttpStatusCode.BadGateway) : StubHandler.Json(Book));
        using var h = new RestHarness("http://sim.invalid", primary: stub);
        var start = h.Time.GetUtcNow();

        var book = await h.DriveAsync(h.Info.GetL2BookAsync("BTC", CancellationToken.None));

        Assert.Equal("BTC", book.Coin);
        Assert.Equal(3, stub.Count);
        Assert.True(h.Time.GetUtcNow() > start, "retry delays must run on the injected TimeProvider");
    }

    [Fact]
    public async Task An_answer_of_the_wrong_shape_names_the_request_and_keeps_the_start_of_the_body()
    {
        var stub = new StubHandler((_, _, _) => StubHandler.Json("""{"unexpected":"shape"}""", HttpStatusCode.OK));
        using var h = new RestHarness("http://sim.invalid", primary: stub);

        var ex = await Assert.ThrowsAsync<HyperliquidBadAnswerException>(() => h.Info.GetUserFillsAsync("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", CancellationToken.None));

        Assert.Equal(1, stub.Count);
        Assert.Equal("info:UserFills", ex.Endpoint);
        Assert.Equal("""{"unexpected":"shape"}""", ex.Body);
        Assert.Contains("wrong shape", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_error_is_not_retried_and_names_the_request()
    {
        var stub = new StubHandler((_, _, _) => StubHandler.Json("""{"error":"bad"}""", HttpStatusCode.UnprocessableEntity));
        using var h = new RestHarness("http://sim.invalid", primary: stub);

        var ex = await Assert.ThrowsAsync<HyperliquidApiException>(() => h.Info.GetMetaAsync(CancellationToken.None));

        Assert.Equal(1, stub.Count);
        Assert.Contains("info:Meta", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_429_honours_Retry_After_lowers_the_budget_and_is_one_observable_episode()
    {
        var observer = new RecordingObserver();
        var stub = new StubHandler((n, _, _) => n <= 2 ? StubHandler.TooMany(TimeSpan.FromSeconds(3)) : StubHandler.Json(Book));
        using var h = new RestHarness(
            "http://sim.invalid",
            new Dictionary<string, string?> { ["Hyperliquid:Rest:RateLimitEpisodeQuietPeriod"] = "00:00:05" },
            stub,
            s => s.AddSingleton<IRateLimitObserver>(observer));
        var start = h.Time.GetUtcNow();

        await h.DriveAsync(h.Info.GetL2BookAsync("BTC", CancellationToken.None));

        Assert.Equal(3, stub.Count);
        Assert.True(h.Time.GetUtcNow() - start >= TimeSpan.FromSeconds(6), "two Retry-After pauses of 3 s");
        var during = h.Monitor.Snapshot();
        Assert.Equal(2, during.TotalRateLimited);
        Assert.Equal(602, during.EffectiveBudget); // 1200 halved once (the second 429 followed the first with no answer between), +2 for the answer (its weight)
        Assert.Equal(1, during.Budget!.Cuts);
        var started = Assert.Single(observer.Started);
        Assert.Equal(2, during.Current!.Count);

        h.Time.Advance(TimeSpan.FromSeconds(5));
        await h.Info.GetL2BookAsync("BTC", CancellationToken.None);
        var ended = Assert.Single(observer.Ended);
        Assert.Equal(started.Id, ended.Id);
        Assert.Equal(2, ended.Count);
        Assert.Equal(4, ended.Weight);
        Assert.Null(h.Monitor.Snapshot().Current);
    }

    [Fact]
    public async Task Sustained_429_gives_up_after_the_allowed_retries_without_a_storm()
    {
        var stub = new StubHandler((_, _, _) => StubHandler.TooMany());
        using var h = new RestHarness("http://sim.invalid", primary: stub);

        var calls = Enumerable.Range(0, 10).Select(_ => h.Info.GetAllMidsAsync(CancellationToken.None)).ToArray();
        await h.Time.DriveAsync(Task.WhenAll(calls).ContinueWith(_ => 0, TaskScheduler.Default), TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(20));

        Assert.All(calls, c => Assert.IsType<HyperliquidRateLimitedException>(c.Exception!.InnerException));
        Assert.True(stub.Count <= 40, $"10 calls × (1 + 3 retries) at most, saw {stub.Count}");
        Assert.Equal(600, h.Monitor.Snapshot().EffectiveBudget); // one signal (no answer between the 429s): one cut
    }

    [Fact]
    public async Task The_weight_budget_paces_requests_on_the_clock()
    {
        var stub = new StubHandler((_, _, _) => StubHandler.Json("""{"universe":[]}"""));
        using var h = new RestHarness("http://sim.invalid", new Dictionary<string, string?> { ["Hyperliquid:Rest:WeightBudgetPerMinute"] = "40", ["Hyperliquid:Rest:MinimumWeightBudget"] = "20", ["Hyperliquid:Rest:MaxBudgetWait"] = "00:02:00" }, stub);
        var start = h.Time.GetUtcNow();

        await h.Info.GetMetaAsync(CancellationToken.None);
        await h.Info.GetMetaAsync(CancellationToken.None);
        Assert.Equal(40, h.Monitor.Snapshot().UsedWeight);
        var third = h.Info.GetMetaAsync(CancellationToken.None);
        Assert.False(third.IsCompleted);
        await h.DriveAsync(third);

        Assert.Equal(TimeSpan.FromMinutes(1), h.Time.GetUtcNow() - start);
        Assert.Equal(1, h.Monitor.Snapshot().LocalWaits);
    }

    [Fact]
    public async Task Budget_that_cannot_free_in_time_fails_locally_without_sending()
    {
        var stub = new StubHandler((_, _, _) => StubHandler.Json("""{"universe":[]}"""));
        using var h = new RestHarness(
            "http://sim.invalid",
            new Dictionary<string, string?> { ["Hyperliquid:Rest:WeightBudgetPerMinute"] = "20", ["Hyperliquid:Rest:MinimumWeightBudget"] = "20", ["Hyperliquid:Rest:MaxBudgetWait"] = "00:00:05" },
            stub);

        await h.Info.GetMetaAsync(CancellationToken.None);
        var ex = await Assert.ThrowsAsync<HyperliquidRateLimitedException>(() => h.Info.GetMetaAsync(CancellationToken.None));

        Assert.True(ex.Local);
        Assert.Equal(1, stub.Count);
        Assert.Equal(1, h.Monitor.Snapshot().LocalRejections);
    }

    [Fact]
    public async Task Local_refusals_are_one_warning_per_run_and_Polly_logs_none_of_them_above_debug()
    {
        var stub = new StubHandler((_, _, _) => StubHandler.Json("""{"universe":[]}"""));
        using var h = new RestHarness(
            "http://sim.invalid",
            new Dictionary<string, string?>
            {
                ["Hyperliquid:Rest:WeightBudgetPerMinute"] = "20",
                ["Hyperliquid:Rest:MinimumWeightBudget"] = "20",
                ["Hyperliquid:Rest:MaxBudgetWait"] = "00:00:05",
                ["Hyperliquid:Rest:RateLimitEpisodeQuietPeriod"] = "00:00:10",
            },
            stub,
            s => s.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace)).AddFakeLogging());
        await h.Info.GetMetaAsync(CancellationToken.None); // the minute's whole budget

        // Five refusals 3 s apart are one run; one more after 15 s without a refusal starts another.
        for (var i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<HyperliquidRateLimitedException>(() => h.Info.GetMetaAsync(CancellationToken.None));
            h.Time.Advance(TimeSpan.FromSeconds(3));
        }

        h.Time.Advance(TimeSpan.FromSeconds(12));
        var last = await Assert.ThrowsAsync<HyperliquidRateLimitedException>(() => h.Info.GetMetaAsync(CancellationToken.None));

        Assert.True(last.Local);
        Assert.Equal(1, stub.Count);
        var state = h.Get<WeightBudgetGate>().GetState();
        Assert.Equal(6, state.LocalRejections);
        Assert.Equal(2, state.LocalRejectionEpisodes);
        var logs = h.Get<FakeLogCollector>().GetSnapshot();
        var warnings = logs.Where(r => r.Level >= LogLevel.Warning).ToList();
        Assert.True(warnings.Count == 2, string.Join("\n", warnings.Select(w => $"{w.Level} {w.Category} {w.Message}")));
        Assert.All(warnings, w => Assert.Equal(1311, w.Id.Id));
        Assert.Contains("20 of 20 per minute in use", warnings[0].Message, StringComparison.Ordinal);
        Assert.Equal(4, logs.Count(r => r.Id.Id == 1312 && r.Level == LogLevel.Debug)); // the rest of the first run

        // Polly: its OnRateLimiterRejected event (Error by default), and the attempt and pipeline lines of
        // refused calls, are Debug; they are there, so the severity provider did not just lose them.
        var refusedByPolly = logs.Where(r => r.Category == "Polly"
            && (r.Message.Contains("OnRateLimiterRejected", StringComparison.Ordinal) || r.Message.Contains("rejected by the rate limiter", StringComparison.Ordinal))).ToList();
        Assert.Equal(6, refusedByPolly.Count(r => r.Message.Contains("OnRateLimiterRejected", StringComparison.Ordinal)));
        Assert.True(refusedByPolly.Count > 6, "the attempt and pipeline-end lines of the refused calls are there too");
        Assert.All(refusedByPolly, r => Assert.Equal(LogLevel.Debug, r.Level));
    }

    private sealed class RecordingObserver : IRateLimitObserver
    {
        public List<RateLimitEpisode> Started { get; } = [];

        public List<RateLimitEpisode> Ended { get; } = [];

        public void OnEpisodeStarted(RateLimitEpisode episode) => Started.Add(episode);

        public void OnEpisodeEnded(RateLimitEpisode episode) => Ended.Add(episode);
    }
}
