using Azure.Storage.Queues;
using HyperFunctions.Configuration;
using HyperFunctions.Domain.Alerts;
using HyperFunctions.Storage.Alerts;
using HyperFunctions.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace HyperFunctions.Storage.Tests.Alerts;

[Collection(AzuriteCollection.Name)]
public sealed class AlertPipelineTests(AzuriteFixture azurite)
{
    private const string Key = "check:HeartbeatCheck:WS_HEARTBEAT_LOST";
    private static readonly AlertRouting Routing = new(new Dictionary<AlertLevel, IReadOnlyList<string>>
    {
        [AlertLevel.AutomatedRecovery] = ["log"],
        [AlertLevel.Operations] = ["hook", "slack"],
        [AlertLevel.Risk] = ["mail"],
        [AlertLevel.EmergencyHalt] = ["pager"],
    });

    private sealed record Harness(string Table, string Queue, string ConnectionString)
    {
        public AlertPipeline Pipeline(TimeProvider time, AlertPolicy? policy = null)
        {
            var clients = Clients();
            var store = new AlertTableStore(clients.Tables.GetTableClient(Table), "test");
            return new AlertPipeline(store, clients.Queues.GetQueueClient(Queue),
                new AlertPipelineOptions(policy ?? AlertPolicy.Default, Routing, TimeSpan.FromSeconds(5), 100, TimeSpan.FromHours(72)),
                time, NullLogger<AlertPipeline>.Instance);
        }

        public StorageClients Clients() => new(new LoadedConfiguration(new HyperFunctionsSettings(),
            new HyperFunctionsSecrets { StorageConnectionString = ConnectionString }, Domain.Safety.SafetyPolicy.Default, "h", null));

        public async Task<List<AlertDelivery>> DrainAsync()
        {
            var queue = Clients().Queues.GetQueueClient(Queue);
            var result = new List<AlertDelivery>();
            while (true)
            {
                var batch = (await queue.ReceiveMessagesAsync(32)).Value;
                if (batch.Length == 0) return result;
                foreach (var m in batch)
                {
                    result.Add(AlertDelivery.FromMessage(m.Body.ToString()));
                    await queue.DeleteMessageAsync(m.MessageId, m.PopReceipt);
                }
            }
        }
    }

    private Harness New() => new(AzuriteFixture.UniqueName("Alerts"), "alerts-" + Guid.NewGuid().ToString("N")[..10], azurite.ConnectionString);

    private static AlertSignal Signal(bool active, AlertLevel level = AlertLevel.Operations, DateTimeOffset? at = null) =>
        new(Key, level, active, "Heartbeat lost", active ? "no message for 31 s" : "flowing again", "HeartbeatCheck", at ?? DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task Two_processes_signalling_the_same_key_at_once_make_one_alert_and_one_set_of_deliveries()
    {
        var h = New();
        var time = new DrivenTime();
        var pipelines = Enumerable.Range(0, 8).Select(_ => h.Pipeline(time)).ToArray();
        var results = await Task.WhenAll(pipelines.Select(p => p.SignalWithResultAsync(Signal(true), CancellationToken.None)));

        Assert.Single(results, r => r.Outcome == "trigger");
        Assert.Equal(7, results.Count(r => r.Outcome == "unchanged"));
        var (open, _) = await pipelines[0].ReadAsync(CancellationToken.None);
        Assert.Single(open);
        var deliveries = await h.DrainAsync();
        Assert.Equal(["hook", "slack"], deliveries.Select(d => d.Channel).Order());
        Assert.All(deliveries, d => Assert.Equal(("TRIGGER", 2, "triggered", Key), (d.Action, d.Level, d.Status, d.Key)));
        Assert.Single(deliveries.Select(d => d.AlertId).Distinct());
    }

    [Fact]
    public async Task Duplicates_are_absorbed_and_an_inactive_signal_resolves_once_to_the_same_channels()
    {
        var h = New();
        var time = new DrivenTime();
        var pipeline = h.Pipeline(time);
        Assert.Equal("trigger", (await pipeline.SignalWithResultAsync(Signal(true), CancellationToken.None)).Outcome);
        for (var i = 0; i < 5; i++)
        {
            time.Advance(TimeSpan.FromSeconds(10));
            Assert.Equal("unchanged", (await pipeline.SignalWithResultAsync(Signal(true), CancellationToken.None)).Outcome);
        }
        Assert.Equal(2, (await h.DrainAsync()).Count);

        var resolve = await pipeline.SignalWithResultAsync(Signal(false), CancellationToken.None);
        Assert.Equal("resolve", resolve.Outcome);
        Assert.Equal("unchanged", (await pipeline.SignalWithResultAsync(Signal(false), CancellationToken.None)).Outcome);
        var deliveries = await h.DrainAsync();
        Assert.Equal(["hook", "slack"], deliveries.Select(d => d.Channel).Order());
        Assert.All(deliveries, d => Assert.Equal(("RESOLVE", "resolved", 2L), (d.Action, d.Status, d.Sequence)));

        var (open, recent) = await pipeline.ReadAsync(CancellationToken.None);
        Assert.Empty(open);
        Assert.Equal(AlertStatus.Resolved, Assert.Single(recent).Status);
        Assert.Equal("unchanged", (await pipeline.SignalWithResultAsync(Signal(false), CancellationToken.None)).Outcome); // nothing open: nothing
    }

    [Fact]
    public async Task An_outage_escalates_one_level_per_period_on_the_sweep_and_reminders_are_throttled()
    {
        var h = New();
        var time = new DrivenTime();
        var pipeline = h.Pipeline(time, new AlertPolicy(TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(300)));
        await pipeline.SignalAsync(Signal(true), CancellationToken.None);
        Assert.Equal(2, (await h.DrainAsync()).Count);

        time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(0, (await pipeline.SweepAsync(CancellationToken.None)).Renotified);
        time.Advance(TimeSpan.FromSeconds(60)); // 120 s: reminder due
        var sweep = await pipeline.SweepAsync(CancellationToken.None);
        Assert.Equal((1, 0), (sweep.Renotified, sweep.Escalated));
        Assert.All(await h.DrainAsync(), d => Assert.Equal(("RENOTIFY", 2), (d.Action, d.Level)));
        Assert.Equal(0, (await pipeline.SweepAsync(CancellationToken.None)).Renotified); // throttled

        time.Advance(TimeSpan.FromSeconds(180)); // 300 s since opened: escalate to 3
        Assert.Equal(1, (await pipeline.SweepAsync(CancellationToken.None)).Escalated);
        var escalated = Assert.Single(await h.DrainAsync());
        Assert.Equal(("ESCALATE", 3, "mail"), (escalated.Action, escalated.Level, escalated.Channel));

        time.Advance(TimeSpan.FromSeconds(300));
        Assert.Equal(1, (await pipeline.SweepAsync(CancellationToken.None)).Escalated);
        Assert.Equal(("ESCALATE", 4, "pager"), Single(await h.DrainAsync()));
        time.Advance(TimeSpan.FromSeconds(300));
        var last = await pipeline.SweepAsync(CancellationToken.None);
        Assert.Equal((0, 1), (last.Escalated, last.Renotified)); // 4 is the top: reminders only

        await h.DrainAsync();
        await pipeline.SignalAsync(Signal(false), CancellationToken.None);
        Assert.Equal(["hook", "mail", "pager", "slack"], (await h.DrainAsync()).Select(d => d.Channel).Order()); // every level it went through

        static (string, int, string) Single(List<AlertDelivery> d) => (d[0].Action, d[0].Level, d[0].Channel);
    }

    [Fact]
    public async Task A_notification_written_but_never_enqueued_is_enqueued_by_the_sweep()
    {
        var h = New();
        var time = new DrivenTime();
        var pipeline = h.Pipeline(time);
        // A process that crashed between the table write and the enqueue: the row says notification 1 is pending.
        var store = new AlertTableStore(h.Clients().Tables.GetTableClient(h.Table), "test");
        await store.EnsureTableAsync(CancellationToken.None);
        var opened = ((AlertDecision.Changed)AlertRules.OnSignal(null, Signal(true), AlertPolicy.Default, time.GetUtcNow(), "crashed1")).Next;
        Assert.True(await store.TryWriteAsync(opened, 0, null, CancellationToken.None));

        Assert.Equal(0, (await pipeline.SweepAsync(CancellationToken.None)).Redispatched); // within the grace: maybe still in flight
        time.Advance(AlertPipeline.OutboxGrace);
        Assert.Equal(1, (await pipeline.SweepAsync(CancellationToken.None)).Redispatched);
        Assert.Equal(2, (await h.DrainAsync()).Count(d => d.AlertId == "crashed1" && d.Action == "TRIGGER"));
        Assert.Equal(0, (await pipeline.SweepAsync(CancellationToken.None)).Redispatched); // marked
    }

    [Fact]
    public async Task A_signal_whose_storage_write_fails_throws_to_the_caller()
    {
        var clients = new StorageClients(new LoadedConfiguration(new HyperFunctionsSettings(),
            new HyperFunctionsSecrets { StorageConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:1/devstoreaccount1;QueueEndpoint=http://127.0.0.1:1/devstoreaccount1;BlobEndpoint=http://127.0.0.1:1/devstoreaccount1" },
            Domain.Safety.SafetyPolicy.Default, "h", null));
        var pipeline = new AlertPipeline(new AlertTableStore(clients.Tables.GetTableClient("Nowhere"), "test"), clients.Queues.GetQueueClient("nowhere"),
            new AlertPipelineOptions(AlertPolicy.Default, Routing, TimeSpan.FromSeconds(2), 100, TimeSpan.FromHours(1)), TimeProvider.System, NullLogger<AlertPipeline>.Instance);
        await Assert.ThrowsAnyAsync<Exception>(() => pipeline.SignalAsync(Signal(true), CancellationToken.None));
    }
}
