using Azure.Data.Tables;
using HyperFunctions.Domain.Execution;
using HyperFunctions.Storage.Execution;
using HyperFunctions.TestSupport;

namespace HyperFunctions.Storage.Tests.Execution;

[Collection(AzuriteCollection.Name)]
public sealed class OrderStoreTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private OrderStore NewStore(string? table = null) =>
        new(new TableClient(azurite.ConnectionString, table ?? AzuriteFixture.UniqueName("Orders")), "test");

    private static OrderIntent Intent(string key) =>
        OrderIntentRules.Validate(new OrderIntentDraft("BTC", "buy", 0.01m, "limit", 60000m, null, null, false, null), key).Intent!;

    [Fact]
    public async Task An_intent_is_recorded_once_and_a_second_record_returns_the_first()
    {
        var store = NewStore();
        var (first, created) = await store.RecordAsync(Intent("a"), "operator", T0, CancellationToken.None);
        var (again, createdAgain) = await store.RecordAsync(Intent("a"), "execution", T0.AddSeconds(1), CancellationToken.None);
        Assert.Equal((true, false), (created, createdAgain));
        Assert.Equal((first.Intent, OrderStatus.Received, T0), (again.Intent, again.Status, again.CreatedAt));
        Assert.Single(await store.ReadChangesAsync(first.Intent.Cloid, CancellationToken.None));
    }

    [Fact]
    public async Task Two_writers_from_the_same_read_record_one_change_the_other_gets_a_conflict_and_writes_nothing()
    {
        var table = AzuriteFixture.UniqueName("Orders");
        var (read, _) = await NewStore(table).RecordAsync(Intent("b"), "operator", T0, CancellationToken.None);
        var winner = await NewStore(table).TransitionAsync(read, OrderStatus.Sending, "first", null, "a", T0.AddSeconds(1), CancellationToken.None);
        await Assert.ThrowsAsync<OrderConflictException>(() => NewStore(table).TransitionAsync(read, OrderStatus.Sending, "second", null, "b", T0.AddSeconds(1), CancellationToken.None));
        var done = await NewStore(table).TransitionAsync(winner, OrderStatus.Filled, "Filled.", new VenueFacts(7, 0.01m, 60000m), "a", T0.AddSeconds(2), CancellationToken.None);

        var changes = await NewStore(table).ReadChangesAsync(read.Intent.Cloid, CancellationToken.None);
        Assert.Equal([OrderStatus.Received, OrderStatus.Sending, OrderStatus.Filled], changes.Select(c => c.Status));
        Assert.Equal(["operator", "a", "a"], changes.Select(c => c.Actor));
        Assert.Equal((7L, 0.01m, 60000m, 3), (done.Venue.Oid!.Value, done.Venue.FilledSize!.Value, done.Venue.AveragePrice!.Value, done.Changes));
        Assert.Equal([done.Intent.Cloid], (await NewStore(table).ListAsync(OrderStatus.Filled, 10, CancellationToken.None)).Select(r => r.Intent.Cloid));
        Assert.Empty(await NewStore(table).ListAsync(OrderStatus.Sending, 10, CancellationToken.None));
    }

    [Fact]
    public async Task The_open_index_holds_exactly_the_intents_not_final_yet_and_follows_every_change()
    {
        var store = NewStore();
        var (a, _) = await store.RecordAsync(Intent("open-a"), "operator", T0, CancellationToken.None);
        var (b, _) = await store.RecordAsync(Intent("open-b"), "operator", T0, CancellationToken.None);
        var (c, _) = await store.RecordAsync(Intent("open-c"), "operator", T0, CancellationToken.None);
        // RECEIVED is open: an intent whose message is lost is found there (the resolution timer queues it again).
        Assert.Equal([(a.Intent.Cloid, OrderStatus.Received, T0), (b.Intent.Cloid, OrderStatus.Received, T0), (c.Intent.Cloid, OrderStatus.Received, T0)],
            (await store.ListOpenAsync(CancellationToken.None)).OrderBy(o => o.Cloid == a.Intent.Cloid ? 0 : o.Cloid == b.Intent.Cloid ? 1 : 2).Select(o => (o.Cloid, o.Status, o.Since)));

        a = await store.TransitionAsync(a, OrderStatus.Sending, "send", null, "x", T0.AddSeconds(1), CancellationToken.None, a.Attempts.Next(T0.AddSeconds(1)));
        b = await store.TransitionAsync(b, OrderStatus.Sending, "send", null, "x", T0.AddSeconds(1), CancellationToken.None);
        b = await store.TransitionAsync(b, OrderStatus.Unknown, "no answer", null, "x", T0.AddSeconds(2), CancellationToken.None);
        var open = (await store.ListOpenAsync(CancellationToken.None)).OrderBy(o => o.Cloid == a.Intent.Cloid ? 0 : o.Cloid == b.Intent.Cloid ? 1 : 2).ToList();
        Assert.Equal([(a.Intent.Cloid, OrderStatus.Sending, T0.AddSeconds(1)), (b.Intent.Cloid, OrderStatus.Unknown, T0.AddSeconds(2)), (c.Intent.Cloid, OrderStatus.Received, T0)],
            open.Select(o => (o.Cloid, o.Status, o.Since)));
        Assert.Equal((1, T0.AddSeconds(1)), (a.Attempts.Count, a.Attempts.FirstAt!.Value));

        // An attempt without a state change is counted on the intent row only; a result closes the intent in the index.
        b = await store.CountAttemptAsync(b, T0.AddSeconds(3), CancellationToken.None);
        Assert.Equal((1, T0.AddSeconds(3), OrderStatus.Unknown, 3), (b.Attempts.Count, b.Attempts.FirstAt!.Value, b.Status, b.Changes));
        await Assert.ThrowsAsync<OrderConflictException>(() => store.CountAttemptAsync(a with { ETag = b.ETag }, T0.AddSeconds(3), CancellationToken.None));
        await store.TransitionAsync(a, OrderStatus.Filled, "Filled.", null, "x", T0.AddSeconds(4), CancellationToken.None);
        b = await store.TransitionAsync(b, OrderStatus.Unknown, "budget", null, "x", T0.AddSeconds(5), CancellationToken.None, b.Attempts with { BudgetExceeded = true });
        await store.TransitionAsync(c, OrderStatus.Blocked, "refused", null, "x", T0.AddSeconds(5), CancellationToken.None);
        var left = Assert.Single(await store.ListOpenAsync(CancellationToken.None));
        Assert.Equal((b.Intent.Cloid, true), (left.Cloid, left.BudgetExceeded));
        Assert.True((await store.GetAsync(b.Intent.Cloid, CancellationToken.None))!.Attempts.BudgetExceeded);
    }

    [Fact]
    public async Task The_resting_index_holds_exactly_the_intents_that_may_rest_at_the_venue_and_pages_round_robin()
    {
        var store = NewStore();
        var records = new List<OrderRecord>();
        foreach (var key in new[] { "rest-a", "rest-b", "rest-c", "rest-d" })
        {
            var (r, _) = await store.RecordAsync(Intent(key), "operator", T0, CancellationToken.None);
            r = await store.TransitionAsync(r, OrderStatus.Sending, "send", null, "x", T0.AddSeconds(1), CancellationToken.None);
            records.Add(r);
        }
        Assert.Empty(await store.ListRestingAsync(null, 10, CancellationToken.None)); // RECEIVED/SENDING are not on a book yet

        // UNKNOWN → RESTING leaves the open index and enters the resting index in the same change; ACCEPTED is there too.
        var a = await store.TransitionAsync(records[0], OrderStatus.Resting, "resting", new VenueFacts(1, null, null), "x", T0.AddSeconds(2), CancellationToken.None);
        var b = await store.TransitionAsync(records[1], OrderStatus.Accepted, "triggered", null, "x", T0.AddSeconds(2), CancellationToken.None);
        var c = await store.TransitionAsync(records[2], OrderStatus.Resting, "resting", null, "x", T0.AddSeconds(2), CancellationToken.None);
        await store.TransitionAsync(records[3], OrderStatus.Filled, "filled", null, "x", T0.AddSeconds(2), CancellationToken.None);
        var all = await store.ListRestingAsync(null, 10, CancellationToken.None);
        var expected = new[] { (a.Intent.Cloid, OrderStatus.Resting), (b.Intent.Cloid, OrderStatus.Accepted), (c.Intent.Cloid, OrderStatus.Resting) }
            .OrderBy(x => x.Item1, StringComparer.Ordinal).ToArray();
        Assert.Equal(expected, all.Select(o => (o.Cloid, o.Status)));
        Assert.All(all, o => Assert.Equal(T0.AddSeconds(2), o.Since));
        Assert.Empty(await store.ListOpenAsync(CancellationToken.None));
        var counts = await store.CountRestingAsync(CancellationToken.None);
        Assert.Equal((2, 1), (counts[OrderStatus.Resting], counts[OrderStatus.Accepted]));

        // Paging: after the first cloid come the other two, after the last nothing (the caller wraps around).
        var first = Assert.Single(await store.ListRestingAsync(null, 1, CancellationToken.None));
        Assert.Equal(expected[0].Item1, first.Cloid);
        Assert.Equal(expected[1..].Select(x => x.Item1), (await store.ListRestingAsync(first.Cloid, 5, CancellationToken.None)).Select(o => o.Cloid));
        Assert.Empty(await store.ListRestingAsync(expected[^1].Item1, 5, CancellationToken.None));

        // A result that is not on the book removes it; RESTING → RESTING (a partial fill) keeps it.
        a = await store.TransitionAsync(a, OrderStatus.Resting, "partially filled", new VenueFacts(1, 0.004m, null), "refresh", T0.AddSeconds(3), CancellationToken.None);
        await store.TransitionAsync(a, OrderStatus.Canceled, "scheduledCancel", null, "refresh", T0.AddSeconds(4), CancellationToken.None);
        await store.TransitionAsync(b, OrderStatus.Filled, "filled", null, "refresh", T0.AddSeconds(4), CancellationToken.None);
        var left = Assert.Single(await store.ListRestingAsync(null, 10, CancellationToken.None));
        Assert.Equal(c.Intent.Cloid, left.Cloid);
        Assert.Equal(4, (await store.ReadChangesAsync(b.Intent.Cloid, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task An_intent_resting_before_the_index_existed_still_changes_and_a_stale_index_row_can_be_dropped()
    {
        var table = AzuriteFixture.UniqueName("Orders");
        var store = NewStore(table);
        var (r, _) = await store.RecordAsync(Intent("old-rest"), "operator", T0, CancellationToken.None);
        r = await store.TransitionAsync(r, OrderStatus.Resting, "resting", null, "x", T0.AddSeconds(1), CancellationToken.None);
        // As a row written before the resting index: no r| row.
        await store.DropStaleRestingAsync(r.Intent.Cloid, CancellationToken.None);
        Assert.Empty(await store.ListRestingAsync(null, 10, CancellationToken.None));

        var done = await store.TransitionAsync(r, OrderStatus.Canceled, "canceled", null, "x", T0.AddSeconds(2), CancellationToken.None);
        Assert.Equal((OrderStatus.Canceled, 3), (done.Status, done.Changes));
        Assert.Empty(await store.ListRestingAsync(null, 10, CancellationToken.None));
        await store.DropStaleRestingAsync(r.Intent.Cloid, CancellationToken.None); // already gone: no error
    }

    [Fact]
    public async Task An_open_index_row_carries_the_intents_source_key_coin_and_signed_size_through_its_changes()
    {
        var store = NewStore();
        var sell = OrderIntentRules.Validate(new OrderIntentDraft("ETH", "sell", 0.25m, "market", null, 0.05m, null, false, null), "copy:0xh-9").Intent!;
        var (s, _) = await store.RecordAsync(sell, "copy-trading", T0, CancellationToken.None);
        var (b, _) = await store.RecordAsync(Intent("op"), "operator", T0, CancellationToken.None);
        s = await store.TransitionAsync(s, OrderStatus.Sending, "send", null, "x", T0.AddSeconds(1), CancellationToken.None);

        var open = (await store.ListOpenAsync(CancellationToken.None)).ToDictionary(o => o.Cloid);
        Assert.Equal(("copy:0xh-9", "ETH", -0.25m, OrderStatus.Sending), (open[s.Intent.Cloid].SourceKey, open[s.Intent.Cloid].Coin, open[s.Intent.Cloid].SignedSize, open[s.Intent.Cloid].Status));
        Assert.Equal(("op", "BTC", 0.01m), (open[b.Intent.Cloid].SourceKey, open[b.Intent.Cloid].Coin, open[b.Intent.Cloid].SignedSize));
    }

    [Fact]
    public async Task Boot_events_are_listed_newest_first()
    {
        var store = NewStore();
        await store.RecordBootEventAsync(new BootEvent(T0, "p1", "dry-run", "first"), CancellationToken.None);
        await store.RecordBootEventAsync(new BootEvent(T0.AddMinutes(1), "p2", "dry-run", "second"), CancellationToken.None);
        Assert.Equal(["p2", "p1"], (await store.ListBootEventsAsync(10, CancellationToken.None)).Select(b => b.Process));
        Assert.Equal(["p2"], (await store.ListBootEventsAsync(1, CancellationToken.None)).Select(b => b.Process));
        Assert.Empty(await store.ListAsync(null, 10, CancellationToken.None)); // boot events are not intents
    }
}
