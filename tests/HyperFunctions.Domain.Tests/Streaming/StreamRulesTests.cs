using FsCheck;
using FsCheck.Fluent;
using HyperFunctions.Domain.Streaming;

namespace HyperFunctions.Domain.Tests.Streaming;

public sealed class StreamRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DataPathPolicy Policy = new(5, TimeSpan.FromSeconds(30));

    [Fact]
    public void Five_failed_attempts_switch_to_rest_once_and_report_it()
    {
        var state = DataPathState.Initial;
        for (var i = 1; i <= 4; i++)
        {
            state = state.OnSocketFailure(Policy, T0.AddSeconds(i));
            Assert.Equal((DataSource.WebSocket, (DataSource?)null), (state.Source, state.Switched));
        }
        state = state.OnSocketFailure(Policy, T0.AddSeconds(5));
        Assert.Equal((DataSource.Rest, DataSource.Rest, T0.AddSeconds(5)), (state.Source, state.Switched!.Value, state.SourceSince!.Value));
        state = state.OnSocketFailure(Policy, T0.AddSeconds(6));
        Assert.Equal((DataSource.Rest, (DataSource?)null), (state.Source, state.Switched));
    }

    [Fact]
    public void Data_in_between_resets_the_failure_count()
    {
        var state = DataPathState.Initial;
        for (var i = 0; i < 4; i++) state = state.OnSocketFailure(Policy, T0);
        state = state.OnSocketData(Policy, T0);
        for (var i = 0; i < 4; i++) state = state.OnSocketFailure(Policy, T0);
        Assert.Equal(DataSource.WebSocket, state.Source);
    }

    [Fact]
    public void Hand_back_only_after_the_socket_was_stable_for_the_configured_time()
    {
        var state = DataPathState.Initial;
        for (var i = 0; i < 5; i++) state = state.OnSocketFailure(Policy, T0);
        state = state.OnSocketData(Policy, T0.AddSeconds(100));
        Assert.Equal(DataSource.Rest, state.Source);
        state = state.OnTick(Policy, T0.AddSeconds(129));
        Assert.Equal(DataSource.Rest, state.Source);
        // A drop restarts the stability clock.
        state = state.OnSocketFailure(Policy, T0.AddSeconds(129));
        state = state.OnSocketData(Policy, T0.AddSeconds(131));
        state = state.OnTick(Policy, T0.AddSeconds(160));
        Assert.Equal(DataSource.Rest, state.Source);
        state = state.OnTick(Policy, T0.AddSeconds(161));
        Assert.Equal((DataSource.WebSocket, DataSource.WebSocket), (state.Source, state.Switched!.Value));
    }

    [Fact]
    public void Property_the_source_is_rest_exactly_when_the_rule_says()
    {
        // Model: failures since the last data; switch at the threshold; back after stable data.
        var gen = Gen.Elements(0, 1, 2).ArrayOf().Select(a => a.Take(200).ToArray());
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(gen.ToArbitrary(), steps =>
        {
            var state = DataPathState.Initial;
            var now = T0;
            var switches = 0;
            foreach (var step in steps)
            {
                now = now.AddSeconds(10);
                var before = state.Source;
                state = step switch { 0 => state.OnSocketFailure(Policy, now), 1 => state.OnSocketData(Policy, now), _ => state.OnTick(Policy, now) };
                if (state.Source != before) switches++;
                if ((state.Switched is not null) != (state.Source != before)) return false; // every switch reported, nothing else
                if (state.Source == DataSource.WebSocket && state.ConsecutiveFailures >= Policy.FailuresBeforeFallback) return false;
            }
            return switches >= 0;
        }));
    }

    [Theory]
    [InlineData(null, 0, "fresh")]
    [InlineData(-600, 0, "backfill")]
    [InlineData(-3600, 0, "backfill")]
    [InlineData(-3601, 0, "exceeded")]
    [InlineData(-3601, 1, "skip")]
    [InlineData(60, 0, "backfill")]
    public void Backfill_plan_compares_the_cursor_with_now_and_the_window(int? cursorOffsetSeconds, int skip, string expected)
    {
        var plan = BackfillPlanner.Plan(cursorOffsetSeconds is { } s ? T0.AddSeconds(s) : null, T0, TimeSpan.FromHours(1), skip == 1);
        var kind = plan switch
        {
            BackfillPlan.Fresh => "fresh",
            BackfillPlan.Backfill b => b.To == T0 && b.From <= T0 ? "backfill" : "bad",
            BackfillPlan.Exceeded x => x.From == T0.AddSeconds(-3601) ? "exceeded" : "bad",
            BackfillPlan.Skip k => k.From == T0.AddSeconds(-3601) && k.To == T0 ? "skip" : "bad",
            _ => "bad",
        };
        Assert.Equal(expected, kind);
    }

    [Fact]
    public void Paging_continues_from_the_last_fill_time_of_a_full_page_and_stops_on_a_short_one()
    {
        Assert.Equal(1500, FillPaging.NextStart(1000, [1000, 1200, 1500], pageCap: 3));
        Assert.Null(FillPaging.NextStart(1000, [1000, 1200], pageCap: 3));
        Assert.Null(FillPaging.NextStart(1000, [], pageCap: 3));
        Assert.Equal(1001, FillPaging.NextStart(1000, [1000, 1000, 1000], pageCap: 3)); // a full page of one ms never loops
    }

    [Fact]
    public void Property_paging_reads_every_fill_of_a_time_ordered_history_exactly_once_after_dedup()
    {
        var gen = from times in Gen.Choose(0, 50).ArrayOf() from cap in Gen.Choose(2, 7) select (times, cap);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(gen.ToArbitrary(), t =>
        {
            // At most cap-1 fills share one ms (the venue cannot page past more by time).
            var history = t.times.GroupBy(x => x).SelectMany(g => g.Take(t.cap - 1)).Order().Select((time, i) => (Time: (long)time, Id: i)).ToList();
            var seen = new HashSet<int>();
            long? start = 0;
            var guard = 0;
            while (start is { } s && guard++ < 1000)
            {
                var page = history.Where(f => f.Time >= s).Take(t.cap).ToList();
                foreach (var f in page) seen.Add(f.Id);
                start = FillPaging.NextStart(s, [.. page.Select(f => f.Time)], t.cap);
            }
            return seen.Count == history.Count;
        }));
    }

    [Fact]
    public void Coalescer_writes_the_newest_value_at_most_once_per_interval()
    {
        var c = new WriteCoalescer<string, int>(TimeSpan.FromSeconds(1));
        for (var i = 0; i < 1000; i++) c.Offer("BTC", i);
        c.Offer("ETH", 1);
        Assert.Equal([new("BTC", 999), new("ETH", 1)], c.TakeDue(T0).OrderBy(kv => kv.Key));
        c.Offer("BTC", 1000);
        Assert.Empty(c.TakeDue(T0.AddMilliseconds(999)));
        Assert.Equal([new("BTC", 1000)], c.TakeDue(T0.AddSeconds(1)));
    }

    [Fact]
    public void Coalescer_offers_a_failed_write_again_unless_something_newer_came()
    {
        var c = new WriteCoalescer<string, int>(TimeSpan.FromSeconds(1));
        c.Offer("BTC", 1);
        var due = c.TakeDue(T0);
        c.Return(due);
        Assert.Equal([new("BTC", 1)], c.TakeDue(T0));
        c.Offer("BTC", 2);
        var failed = c.TakeDue(T0.AddSeconds(1));
        c.Offer("BTC", 3);
        c.Return(failed);
        Assert.Equal([new("BTC", 3)], c.TakeDue(T0.AddSeconds(1)));
    }

    [Fact]
    public void Event_keys_are_the_venue_ids()
    {
        Assert.Equal("0xabc-42", EventKeys.Fill("0xabc", 42));
        Assert.Equal("00000000000000000007-1700000000000-filled", EventKeys.OrderUpdate(7, 1_700_000_000_000, "filled"));
        Assert.Equal("websocket", DataSource.WebSocket.ToWire());
        Assert.Equal("rest", DataSource.Rest.ToWire());
    }
}
