using HyperFunctions.TestSupport;
using System.Net;
using HyperFunctions.Hyperliquid.Rest;
using HyperFunctions.Hyperliquid.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Xunit.Abstractions;

namespace HyperFunctions.Hyperliquid.Tests.Rest;

/// <summary>
/// The stream keeper's storm: a stand-in venue answers the first six requests with 429 (Retry-After 1 s,
/// so one a second) and every later one normally, while a REST fallback asks for the venue's whole
/// budget (one request of weight 20 a second). The landed client cut its budget once per 429, to the
/// floor, and then refused nearly every request locally for minutes.
/// </summary>
public sealed class RateLimitStormTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task After_a_storm_of_six_429s_the_budget_is_cut_once_recovers_stepwise_and_serves_the_nominal_weight()
    {
        var time = new DrivenTime();
        var venue = new VenueStandIn(time, rateLimitedFirst: 6, retryAfter: TimeSpan.FromSeconds(1), budgetPerMinute: 1200);
        using var h = new RestHarness(
            "http://venue.invalid",
            primary: venue,
            configure: s => s.AddLogging(b => b.SetMinimumLevel(LogLevel.Debug)).AddFakeLogging(),
            time: time);
        var start = time.GetUtcNow();

        var calls = await time.DriveAsync(PollAsync(h, TimeSpan.FromMinutes(3)), TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(20));

        var answers = venue.Answers;
        var served = Enumerable.Range(0, 3).Select(m => venue.ServedWeight(start + (m * Minute), start + ((m + 1) * Minute))).ToList();
        var stormEnd = answers.Last(a => a.Status == HttpStatusCode.TooManyRequests).At + Tick;
        var afterStorm = venue.ServedWeight(stormEnd, stormEnd + Minute);
        var budgets = calls.Select(c => c.Budget.EffectiveBudget).ToList();
        output.WriteLine($"served per minute: {string.Join(", ", served)}; in the minute after the storm: {afterStorm}");
        output.WriteLine($"budget after each call: {string.Join(" ", budgets.Distinct())}");
        output.WriteLine($"calls: {calls.Count(c => c.Outcome == "served")} served, {calls.Count(c => c.Outcome == "venue429")} failed on 429, {calls.Count(c => c.Outcome == "local")} refused locally; longest call {calls.Max(c => c.End - c.Start)}");

        // The storm: six 429s one a second, and not one more (the client never outran the venue's count).
        var limited = answers.Where(a => a.Status == HttpStatusCode.TooManyRequests).Select(a => a.At - start).ToList();
        Assert.Equal(Enumerable.Range(0, 6).Select(i => TimeSpan.FromSeconds(i)), limited);

        // Cut exactly once, to half, never below the floor; then stepwise up to the nominal budget.
        var state = h.Get<WeightBudgetGate>().GetState();
        Assert.Equal(1, state.Cuts);
        Assert.Equal(start, state.LastCutAt);
        Assert.Equal(300, state.MinimumBudget);
        Assert.Equal(600, budgets.Min());
        Assert.All(budgets.Zip(budgets.Skip(1)), p => Assert.True(
            p.Second - p.First is >= 0 and <= 10 || p.Second == 1200,
            $"{p.First} -> {p.Second}: never down, up by the step (10) per answer, or to nominal when the penalty ends"));
        Assert.True(budgets.Distinct().Count() > 30, "the budget climbs in steps");
        var full = calls.First(c => c.Budget.EffectiveBudget == 1200);
        Assert.True(full.End <= start + TimeSpan.FromSeconds(5) + Minute, "full again a minute after the last 429 at the latest");
        Assert.Equal(1200, budgets[^1]);

        // Served: after the storm the fallback gets what it asks for, near the nominal 1200 a minute.
        Assert.Equal(0, state.LocalRejections);
        Assert.All(calls.Where(c => c.Start >= stormEnd), c => Assert.Equal("served", c.Outcome));
        Assert.InRange(afterStorm, 1080, 1200);
        Assert.Equal(1200, served[1]);
        Assert.Equal(1200, served[2]);

        // One episode, one story: one warning when it starts, one line when it ends, nothing per 429 or per request above Debug.
        var episode = Assert.Single(h.Monitor.Snapshot().Recent);
        Assert.Equal(6, episode.Count);
        Assert.Equal(1, episode.BudgetCuts);
        Assert.Equal(600, episode.LowestBudget);
        var logs = h.Get<FakeLogCollector>().GetSnapshot();
        output.WriteLine($"log lines at Warning or above: {logs.Count(r => r.Level >= LogLevel.Warning)}, at Error or above: {logs.Count(r => r.Level >= LogLevel.Error)}");
        var warning = Assert.Single(logs, r => r.Level >= LogLevel.Warning);
        Assert.Equal(1301, warning.Id.Id);
        Assert.Contains("weight budget now 600 of 1200 per minute (floor 300)", warning.Message, StringComparison.Ordinal);
        var ended = Assert.Single(logs, r => r.Id.Id == 1302);
        Assert.Equal(LogLevel.Information, ended.Level);
        Assert.Contains("6 x 429 (weight 120), budget cut 1 time(s), lowest 600 per minute", ended.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logs, r => r.Level >= LogLevel.Information && r.Category == "Polly" && r.Message.Contains("'429'", StringComparison.Ordinal));
        Assert.Equal(5, logs.Count(r => r.Id.Id == 1303 && r.Level == LogLevel.Debug)); // the other five 429s, counted at Debug
    }

    /// <summary>
    /// The fallback's loop: once a second one heavy request (metaAndAssetCtxs and userFillsByTime in
    /// turn, weight 20 each: 1 200 a minute, the venue's whole budget). A tick missed while a call waited
    /// is skipped, not made up. One call at a time, so the driven clock only moves when it waits.
    /// </summary>
    private static async Task<List<Call>> PollAsync(RestHarness h, TimeSpan duration)
    {
        var gate = h.Get<WeightBudgetGate>();
        var calls = new List<Call>();
        var start = h.Time.GetUtcNow();
        for (var tick = 0L; tick * Tick < duration;)
        {
            var due = start + (tick * Tick);
            var now = h.Time.GetUtcNow();
            if (due > now)
            {
                await Task.Delay(due - now, h.Time);
            }

            var began = h.Time.GetUtcNow();
            string outcome;
            try
            {
                if (tick % 2 == 0)
                {
                    await h.Info.GetMetaAndAssetContextsAsync(CancellationToken.None);
                }
                else
                {
                    await h.Info.GetUserFillsByTimeAsync("0x0000000000000000000000000000000000000001", start, null, CancellationToken.None);
                }

                outcome = "served";
            }
            catch (HyperliquidRateLimitedException ex)
            {
                outcome = ex.Local ? "local" : "venue429";
            }

            var ended = h.Time.GetUtcNow();
            calls.Add(new Call(began, ended, outcome, gate.GetState()));
            tick = Math.Max(tick + 1, (long)Math.Ceiling((ended - start) / Tick));
        }

        return calls;
    }

    private sealed record Call(DateTimeOffset Start, DateTimeOffset End, string Outcome, WeightBudgetState Budget);
}
