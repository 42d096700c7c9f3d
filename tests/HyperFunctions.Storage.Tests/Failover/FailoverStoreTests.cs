using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using HyperFunctions.Domain.Failover;
using HyperFunctions.Storage.Failover;
using HyperFunctions.TestSupport;

namespace HyperFunctions.Storage.Tests.Failover;

[Collection(AzuriteCollection.Name)]
public sealed class FailoverStoreTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    /// <summary>Counts the requests the table client sends (each query page is one).</summary>
    private sealed class RequestCounter : HttpPipelineSynchronousPolicy
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _count);
    }

    private (FailoverStore Store, RequestCounter Requests) NewStore(string table)
    {
        var counter = new RequestCounter();
        var options = new TableClientOptions();
        options.AddPolicy(counter, HttpPipelinePosition.PerCall);
        return (new FailoverStore(new TableClient(azurite.ConnectionString, table, options), "test"), counter);
    }

    private static FailoverRun Run(string id, DateTimeOffset at, FailoverKind kind = FailoverKind.Failover) =>
        new(id, kind, "primary", "backup", "operator", $"reason {id}", false, false, false, at, at.AddSeconds(3), RunOutcome.Succeeded, "");

    private static List<FailoverStep> Steps(string runId, int count, DateTimeOffset at) =>
        [.. Enumerable.Range(1, count).Select(i => new FailoverStep(runId, i, $"{runId}-step{i}", "http", "pre", StepOutcome.Succeeded, "", i, at.AddMilliseconds(i), "operator"))];

    [Fact]
    public async Task Steps_of_several_listed_runs_come_in_one_query_each_attached_to_its_run_in_order()
    {
        var table = AzuriteFixture.UniqueName("Failover");
        var (store, requests) = NewStore(table);
        await store.EnsureTableAsync(CancellationToken.None);

        // Seven runs a minute apart, the oldest first; two share a start millisecond. Steps are written in
        // reverse sequence so order comes from the read, not from the insert. Run 3 has no steps; run 0 is the
        // oldest and is left out of the listing below, so its steps (in the key range's neighbourhood) must not show.
        var runs = new List<FailoverRun>();
        for (var i = 0; i < 7; i++)
        {
            var at = T0.AddMinutes(i == 6 ? 5 : i);
            var run = Run(FailoverStore.NewRunId(at), at, i % 2 == 0 ? FailoverKind.Failover : FailoverKind.Failback);
            runs.Add(run);
            var steps = i == 3 ? [] : Steps(run.RunId, 2 + i, at);
            steps.Reverse();
            await store.AddRunAsync(run, steps, CancellationToken.None);
        }

        var listed = await store.ReadRunsAsync(6, CancellationToken.None);
        Assert.Equal(6, listed.Count);
        Assert.DoesNotContain(listed, r => r.RunId == runs[0].RunId);

        var before = requests.Count;
        var byRun = await store.ReadStepsAsync([.. listed.Select(r => r.RunId)], CancellationToken.None);
        Assert.Equal(1, requests.Count - before);

        Assert.Equal(listed.Select(r => r.RunId).Order(StringComparer.Ordinal), byRun.Keys.Order(StringComparer.Ordinal));
        for (var i = 1; i < 7; i++)
        {
            var steps = byRun[runs[i].RunId];
            var expected = i == 3 ? 0 : 2 + i;
            Assert.Equal(Enumerable.Range(1, expected), steps.Select(s => s.Sequence));
            Assert.All(steps, s => Assert.Equal((runs[i].RunId, $"{runs[i].RunId}-step{s.Sequence}"), (s.RunId, s.Name)));
            // The same steps as the one-run read, which the failover history answered with before.
            Assert.Equal(await store.ReadStepsAsync(runs[i].RunId, CancellationToken.None), steps);
        }
    }

    [Fact]
    public async Task A_run_not_asked_for_inside_the_key_range_is_skipped_and_an_empty_ask_sends_nothing()
    {
        var (store, requests) = NewStore(AzuriteFixture.UniqueName("Failover"));
        await store.EnsureTableAsync(CancellationToken.None);
        var ids = Enumerable.Range(0, 3).Select(i => FailoverStore.NewRunId(T0.AddMinutes(i))).ToArray();
        for (var i = 0; i < 3; i++) await store.AddRunAsync(Run(ids[i], T0.AddMinutes(i)), Steps(ids[i], 3, T0.AddMinutes(i)), CancellationToken.None);

        var byRun = await store.ReadStepsAsync([ids[0], ids[2]], CancellationToken.None);
        Assert.Equal([ids[0], ids[2]], byRun.Keys.Order(StringComparer.Ordinal));
        Assert.All(byRun, kv => Assert.Equal([1, 2, 3], kv.Value.Select(s => s.Sequence)));
        Assert.All(byRun, kv => Assert.All(kv.Value, s => Assert.Equal(kv.Key, s.RunId)));

        var before = requests.Count;
        Assert.Empty(await store.ReadStepsAsync([], CancellationToken.None));
        Assert.Equal(before, requests.Count);
        await Assert.ThrowsAsync<ArgumentException>(() => store.ReadStepsAsync(["a|b"], CancellationToken.None));
    }
}
