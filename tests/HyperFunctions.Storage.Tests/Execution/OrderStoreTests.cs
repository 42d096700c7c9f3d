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
}
