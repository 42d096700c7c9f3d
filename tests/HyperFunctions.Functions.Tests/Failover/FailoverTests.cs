using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using HyperFunctions.Domain.Failover;
using HyperFunctions.Functions.Execution;
using HyperFunctions.Functions.Failover;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Functions.ServiceHealth;
using HyperFunctions.Functions.Tests.ServiceHealth;
using HyperFunctions.Simulator;
using HyperFunctions.Storage.Failover;
using HyperFunctions.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace HyperFunctions.Functions.Tests.Failover;

/// <summary>
/// Failover end to end: apps of two sites on one Azurite and the simulator (real sockets), hooks calling real
/// local endpoints, the automatic trigger on a real http probe, time moved with FakeTimeProvider. The tests of
/// this collection run one at a time, so each owns the order-intents queue while it runs.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class FailoverTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);
    private HyperliquidSimulator _sim = null!;
    private QueueClient _queue = null!;

    public async Task InitializeAsync()
    {
        _sim = await HyperliquidSimulator.StartAsync(new SimulatorOptions { Seed = 11 });
        _queue = new QueueClient(azurite.ConnectionString, OrderIntentMessage.QueueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await _queue.CreateIfNotExistsAsync();
        await _queue.ClearMessagesAsync();
    }

    public async Task DisposeAsync()
    {
        await _queue.ClearMessagesAsync();
        await _sim.DisposeAsync();
    }

    private FailoverRig Rig() => new(azurite.ConnectionString, _sim);

    private static Dictionary<string, string> Url(Uri url) => new() { ["Url"] = url.ToString() };

    [Fact]
    public async Task A_dry_run_is_the_default_changes_nothing_and_shows_the_ordered_plan_with_preconditions()
    {
        await using var target = await GateTarget.StartAsync();
        target.Open();
        var rig = Rig().Hooks(("safe-mode", "setSafetyMode", null), ("notify", "http", Url(target.Url)), ("switch", "switchSite", null),
            ("verify", "runChecks", null), ("venue", "venueConnection", null));
        await using var app = await rig.StartAsync("primary");
        var ledgerBefore = (await app.HistoryAsync()).Count;

        var plan = await FailoverRig.FailoverAsync(app, "/api/failover", """{"reason":"rehearsal"}""", 200);
        Assert.True((bool)plan["dryRun"]!);
        Assert.True((bool)plan["wouldRun"]!);
        Assert.Equal(("primary", "backup", "PRIMARY", "primary"), ((string?)plan["from"], (string?)plan["to"], (string?)plan["state"], (string?)plan["activeSite"]));
        var steps = plan["steps"]!.AsArray();
        Assert.Equal(["safe-mode:pre", "notify:pre", "switch:switch", "verify:post", "venue:post"],
            steps.Select(s => $"{(string)s!["name"]!}:{(string)s["phase"]!}"));
        Assert.All(plan["preconditions"]!.AsArray(), p => Assert.True((bool)p!["holds"]!, p.ToJsonString()));
        Assert.Contains("primary to backup", (string?)steps[2]!["wouldDo"], StringComparison.Ordinal);

        // Nothing changed: no state row, no hook called, no ledger transition; the dry-run is in history as PLANNED.
        var store = app.App.Services.GetRequiredService<FailoverStore>();
        Assert.Null(await store.ReadAsync(CancellationToken.None));
        Assert.Equal(0, target.Calls);
        Assert.Equal(ledgerBefore, (await app.HistoryAsync()).Count);
        var history = (await FailoverRig.GetAsync(app, "/api/failover/history"))["items"]!.AsArray();
        var run = Assert.Single(history)!;
        Assert.Equal(("PLANNED", true, "rehearsal"), ((string?)run["outcome"], (bool)run["dryRun"]!, (string?)run["reason"]));
        var status = await FailoverRig.GetAsync(app, "/api/failover");
        Assert.Equal(("PRIMARY", "primary", true), ((string?)status["state"], (string?)status["activeSite"], (bool)status["active"]!));

        // A bad body names the field and changes nothing.
        var (bad, problem) = await app.SendAsync(HttpMethod.Post, "/api/failover", TestApp.AdminKey, """{"dryRun":"yes"}""");
        Assert.Equal(400, bad);
        Assert.NotNull(problem!["errors"]!["reason"]);
        Assert.NotNull(problem["errors"]!["dryRun"]);
        Assert.Equal(403, (await app.SendAsync(HttpMethod.Post, "/api/failover", TestApp.FunctionKey, """{"reason":"x"}""")).Status);
    }

    [Fact]
    public async Task A_failover_and_a_failback_run_their_hooks_in_order_switch_the_active_site_and_are_in_history_with_durations()
    {
        await using var target = await GateTarget.StartAsync();
        target.Open();
        var rig = Rig().Hooks(("safe-mode", "setSafetyMode", null), ("notify", "http", Url(target.Url)), ("switch", "switchSite", null),
            ("verify", "runChecks", null), ("venue", "venueConnection", null));
        await using var app = await rig.StartAsync("primary");

        var run = await FailoverRig.FailoverAsync(app, "/api/failover", """{"reason":"maintenance","dryRun":false}""", 200);
        Assert.True((bool)run["success"]!);
        Assert.Equal(("SUCCEEDED", "FAILED_OVER", "backup"), ((string?)run["outcome"], (string?)run["state"], (string?)run["activeSite"]));
        Assert.Equal(["safe-mode:pre:SUCCEEDED", "notify:pre:SUCCEEDED", "switch:switch:SUCCEEDED", "verify:post:SUCCEEDED", "venue:post:SUCCEEDED", "safe-mode:finish:SUCCEEDED"],
            FailoverRig.StepNames(run));
        Assert.All(run["steps"]!.AsArray(), s => Assert.True((long)s!["durationMs"]! >= 0));
        Assert.Equal(1, target.Calls);
        // The ledger went to ARMED_SAFE with FAILOVER_IN_PROGRESS during the run, and the condition was lifted at the end.
        var ledger = await app.HistoryAsync();
        Assert.Contains(ledger, t => (string?)t!["reason"] == "FAILOVER_IN_PROGRESS" && ((string?)t["actor"])!.StartsWith("failover:", StringComparison.Ordinal));
        var (_, statusPage) = await app.SendAsync(HttpMethod.Get, "/api/status", TestApp.FunctionKey);
        Assert.Empty(statusPage!["safety"]!["conditions"]!.AsArray());
        var failover = statusPage["failover"]!;
        Assert.Equal(("FAILED_OVER", "backup", "primary", false, 1), ((string?)failover["state"], (string?)failover["activeSite"], (string?)failover["site"],
            (bool)failover["active"]!, (int)failover["failoversToday"]!));
        Assert.NotNull(failover["cooldownUntil"]);
        Assert.Equal("SUCCEEDED", (string?)failover["lastRun"]!["outcome"]);

        // A second failover is refused by the state (and, before that, it would be by the cooldown).
        var again = await FailoverRig.FailoverAsync(app, "/api/failover", """{"reason":"again","dryRun":false}""", 409);
        Assert.Equal("STATE", (string?)again["code"]);

        var back = await FailoverRig.FailoverAsync(app, "/api/failback", """{"reason":"primary is fine","dryRun":false}""", 200);
        Assert.Equal(("SUCCEEDED", "PRIMARY", "primary"), ((string?)back["outcome"], (string?)back["state"], (string?)back["activeSite"]));
        Assert.Equal(["safe-mode:pre:SUCCEEDED", "notify:pre:SUCCEEDED", "switch:switch:SUCCEEDED", "verify:post:SUCCEEDED", "venue:post:SUCCEEDED", "safe-mode:finish:SUCCEEDED"],
            FailoverRig.StepNames(back));

        var history = (await FailoverRig.GetAsync(app, "/api/failover/history"))["items"]!.AsArray();
        // A refusal by the state changed nothing and is not a run; cooldown, cap and health refusals are (see the automatic test).
        Assert.Equal(["FAILBACK:SUCCEEDED", "FAILOVER:SUCCEEDED"], history.Select(r => $"{(string)r!["kind"]!}:{(string)r["outcome"]!}"));
        Assert.All(history, r =>
        {
            Assert.NotNull(r!["durationSeconds"]);
            Assert.Equal(6, r["steps"]!.AsArray().Count);
        });
        Assert.Equal("maintenance", (string?)history[1]!["reason"]);
    }

    [Fact]
    public async Task History_lists_several_runs_newest_first_each_with_its_own_steps_in_order()
    {
        await using var app = await Rig().Hooks(("switch", "switchSite", null)).StartAsync("primary");
        var store = app.App.Services.GetRequiredService<FailoverStore>();
        await store.EnsureTableAsync(CancellationToken.None);
        var t0 = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
        var expected = new List<(string RunId, string[] Steps)>();
        for (var i = 0; i < 5; i++)
        {
            var at = t0.AddMinutes(i);
            var id = FailoverStore.NewRunId(at);
            var names = i == 2 ? [] : Enumerable.Range(1, 2 + i).Select(n => $"r{i}-s{n}").ToArray();
            var steps = names.Select((name, n) => new FailoverStep(id, n + 1, name, "http", "pre", StepOutcome.Succeeded, $"step {n + 1} of run {i}", 10 * (n + 1), at.AddSeconds(n), "operator")).Reverse().ToList();
            await store.AddRunAsync(new FailoverRun(id, FailoverKind.Failover, "primary", "backup", "operator", $"run {i}", true, false, false, at, at.AddSeconds(9), RunOutcome.Planned, ""), steps, CancellationToken.None);
            expected.Insert(0, (id, names));
        }

        var items = (await FailoverRig.GetAsync(app, "/api/failover/history?limit=4"))["items"]!.AsArray();
        Assert.Equal(expected.Take(4).Select(e => e.RunId), items.Select(r => (string?)r!["runId"]));
        Assert.Equal(expected.Take(4).Select(e => e.Steps), items.Select(r => r!["steps"]!.AsArray().Select(s => (string)s!["name"]!).ToArray()));
        Assert.All(items, r => Assert.Equal(Enumerable.Range(1, r!["steps"]!.AsArray().Count), r["steps"]!.AsArray().Select(s => (int)s!["sequence"]!)));
        Assert.All(items, r => Assert.All(r!["steps"]!.AsArray(), s => Assert.EndsWith($"of {(string)r["reason"]!}", (string)s!["detail"]!, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_failing_hook_continues_or_aborts_and_rolls_back_the_completed_steps_switch_included()
    {
        await using var broken = await HttpTarget.StartAsync();
        broken.Answer(500, "nope");
        var rig = Rig().Hooks(("safe-mode", "setSafetyMode", null), ("cancel", "cancelAll", null),
            ("ping", "http", new() { ["Url"] = new Uri(broken.BaseUrl, "ping").ToString(), ["OnFailure"] = "continue" }), ("switch", "switchSite", null),
            ("announce", "http", new() { ["Url"] = new Uri(broken.BaseUrl, "announce").ToString(), ["OnFailure"] = "continue", ["Runs:0"] = "failback" }),
            ("verify", "http", new() { ["Url"] = new Uri(broken.BaseUrl, "verify").ToString(), ["Runs:0"] = "failover" }));
        await using var app = await rig.StartAsync("primary");

        var run = await FailoverRig.FailoverAsync(app, "/api/failover", """{"reason":"will fail","dryRun":false}""", 200);
        Assert.False((bool)run["success"]!);
        Assert.Equal(("ROLLED_BACK", "PRIMARY", "primary"), ((string?)run["outcome"], (string?)run["state"], (string?)run["activeSite"]));
        Assert.Equal([
            "safe-mode:pre:SUCCEEDED", "cancel:pre:SUCCEEDED", "ping:pre:FAILED", "switch:switch:SUCCEEDED", "verify:post:FAILED",
            "switch:rollback:ROLLED_BACK", "ping:rollback:SKIPPED", "cancel:rollback:SKIPPED", "safe-mode:rollback:ROLLED_BACK",
        ], FailoverRig.StepNames(run));
        var steps = run["steps"]!.AsArray();
        Assert.Contains("open order(s) cancelled", (string?)steps[1]!["detail"], StringComparison.Ordinal);
        Assert.Contains("HTTP 500", (string?)steps[2]!["detail"], StringComparison.Ordinal);
        Assert.Contains("HTTP 500", (string?)steps[4]!["detail"], StringComparison.Ordinal);
        // The temporary condition is gone again; the marker never left the primary for good.
        var (_, status) = await app.SendAsync(HttpMethod.Get, "/api/status", TestApp.FunctionKey);
        Assert.Empty(status!["safety"]!["conditions"]!.AsArray());
        Assert.Equal(("PRIMARY", "primary", true), ((string?)status["failover"]!["state"], (string?)status["failover"]!["activeSite"], (bool)status["failover"]!["active"]!));
        Assert.Equal(0, (int)status["failover"]!["failoversToday"]!);
    }

    [Fact]
    public async Task Of_ten_concurrent_failover_requests_exactly_one_runs_and_nine_get_409_naming_it()
    {
        await using var target = await GateTarget.StartAsync();
        var rig = Rig().Hooks(("switch", "switchSite", null), ("slow", "http", Url(target.Url)));
        await using var app = await rig.StartAsync("primary");

        var requests = Enumerable.Range(0, 10).Select(i => app.SendAsync(HttpMethod.Post, "/api/failover", TestApp.AdminKey, $$"""{"reason":"race {{i}}","dryRun":false}""")).ToList();
        await target.Arrived.WaitAsync(HangGuard); // the winner is inside its post-hook, holding the coordinator
        var pending = requests.ToList();
        var refused = new List<(int Status, JsonObject? Json)>();
        while (refused.Count < 9)
        {
            var done = await Task.WhenAny(pending).WaitAsync(HangGuard);
            pending.Remove(done);
            refused.Add(await done);
        }
        target.Release();
        var winner = await Assert.Single(pending).WaitAsync(HangGuard);

        Assert.Equal(200, winner.Status);
        var runId = (string)winner.Json!["runId"]!;
        Assert.All(refused, r =>
        {
            Assert.Equal(409, r.Status);
            Assert.Equal("RUN_IN_PROGRESS", (string?)r.Json!["code"]);
            Assert.Equal(runId, (string?)r.Json["runInProgress"]);
            Assert.Contains(runId, (string?)r.Json["detail"], StringComparison.Ordinal);
        });
        Assert.Equal(1, target.Calls);
        var history = (await FailoverRig.GetAsync(app, "/api/failover/history"))["items"]!.AsArray();
        Assert.Equal(runId, (string?)Assert.Single(history)!["runId"]);
    }

    [Fact]
    public async Task Status_shows_each_process_with_its_site_and_whether_it_is_active_before_and_after_a_failover()
    {
        var rig = Rig().Hooks(("switch", "switchSite", null));
        await using var primary = await rig.StartAsync("primary");
        await using var backup = await rig.StartAsync("backup");
        var registry = primary.App.Services.GetRequiredService<HyperFunctions.Storage.Processes.ProcessRegistry>();
        await registry.RefreshAsync(TimeSpan.FromMinutes(5), CancellationToken.None); // the prober's next round

        Assert.Equal([("backup", false), ("primary", true)], await SitesAsync(primary));

        await FailoverRig.FailoverAsync(primary, "/api/failover", """{"reason":"move","dryRun":false}""", 200);
        await registry.RefreshAsync(TimeSpan.FromMinutes(5), CancellationToken.None);
        Assert.Equal([("backup", true), ("primary", false)], await SitesAsync(primary));
    }

    private static async Task<List<(string?, bool?)>> SitesAsync(TestApp app)
    {
        var (_, status) = await app.SendAsync(HttpMethod.Get, "/api/status", TestApp.FunctionKey);
        return [.. status!["processes"]!["items"]!.AsArray()
            .Select(p => ((string?)p!["site"], (bool?)p["active"]))
            .OrderBy(p => p.Item1, StringComparer.Ordinal)];
    }

    [Fact]
    public async Task Only_the_active_sites_process_places_orders_a_passive_one_hands_the_intent_back_to_the_shared_queue()
    {
        var rig = Rig().Hooks(("switch", "switchSite", null));
        await using var primary = await rig.StartAsync("primary");
        await using var backup = await rig.StartAsync("backup");
        await FailoverRig.PromoteAsync(primary);

        // The backup's process takes the intent off the shared queue: it places nothing and puts the intent back.
        var first = await FailoverRig.PostOrderAsync(primary);
        var summary = Assert.Single(await FailoverRig.DeliverAllAsync(backup, _queue));
        Assert.Contains("handed back", summary, StringComparison.Ordinal);
        Assert.Contains("SITE_PASSIVE", summary, StringComparison.Ordinal);
        Assert.Contains("active site is primary", summary, StringComparison.Ordinal);
        Assert.Equal(0, _sim.Stats.Orders);
        var (_, order) = await primary.SendAsync(HttpMethod.Get, $"/api/orders/{first}", TestApp.FunctionKey);
        Assert.Equal("RECEIVED", (string?)order!["status"]);
        var (_, backupStatus) = await backup.SendAsync(HttpMethod.Get, "/api/status", TestApp.FunctionKey);
        Assert.Equal(1, (long)backupStatus!["execution"]!["handedBack"]!);
        Assert.Matches(@"(?m)^hf_execution_handed_back_total(\{[^}]*\})? 1(\s|$)", await backup.MetricsAsync());

        // The active site's process, now listening on the queue, finds it there (visible again after 1 s) and places it.
        await PlaceThroughListenerAsync(primary, first);
        Assert.Equal(1, _sim.Stats.Orders);

        // After a failover the primary's process is the passive one: it hands the backup's intent back, and the
        // backup's process places it.
        await FailoverRig.FailoverAsync(backup, "/api/failover", """{"reason":"move","dryRun":false}""", 200);
        var second = await FailoverRig.PostOrderAsync(backup);
        summary = Assert.Single(await FailoverRig.DeliverAllAsync(primary, _queue));
        Assert.Contains("handed back", summary, StringComparison.Ordinal);
        Assert.Contains("active site is backup", summary, StringComparison.Ordinal);
        await PlaceThroughListenerAsync(backup, second);
        Assert.Equal(2, _sim.Stats.Orders);
        Assert.Empty((await _queue.PeekMessagesAsync(5)).Value);

        var (_, status) = await backup.SendAsync(HttpMethod.Get, "/api/status", TestApp.FunctionKey);
        Assert.Equal(("backup", true), ((string?)status!["failover"]!["site"], (bool)status["failover"]!["active"]!));
    }

    [Fact]
    public async Task A_self_host_process_of_the_passive_site_does_not_receive_order_intents_the_active_sites_process_does()
    {
        var rig = Rig().Hooks(("switch", "switchSite", null));
        await using var primary = await rig.StartAsync("primary");
        await using var backup = await rig.StartAsync("backup");
        await FailoverRig.PromoteAsync(primary);
        var cloid = await FailoverRig.PostOrderAsync(primary);

        // The backup's listener runs and asks twice (a second apart) whether to receive order intents: it is told no each time.
        var reasons = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var twice = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (var listener = ActivatorUtilities.CreateInstance<QueueListener>(backup.App.Services))
        {
            listener.Held += (queue, reason) =>
            {
                if (queue != OrderIntentMessage.QueueName) return;
                reasons.Enqueue(reason);
                if (reasons.Count >= 2) twice.TrySetResult();
            };
            await listener.StartAsync(CancellationToken.None);
            await twice.Task.WaitAsync(HangGuard);
            await listener.StopAsync(CancellationToken.None);
        }
        Assert.All(reasons, r => Assert.StartsWith("SITE_PASSIVE: this process runs site backup; the active site is primary", r, StringComparison.Ordinal));
        Assert.Single((await _queue.PeekMessagesAsync(5)).Value); // still queued and visible: never received
        Assert.Equal(0, backup.App.Services.GetRequiredService<ExecutionMonitor>().HandedBackCount);

        await PlaceThroughListenerAsync(primary, cloid);
        Assert.Equal(1, _sim.Stats.Orders);
    }

    /// <summary>Runs <paramref name="app"/>'s self-host queue listener until the intent <paramref name="cloid"/> is FILLED.</summary>
    private static async Task PlaceThroughListenerAsync(TestApp app, string cloid)
    {
        var monitor = app.App.Services.GetRequiredService<ExecutionMonitor>();
        var recorded = new TaskCompletionSource<LastOrderResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        monitor.ResultRecorded += r => { if (r.Cloid == cloid) recorded.TrySetResult(r); };
        using var listener = ActivatorUtilities.CreateInstance<QueueListener>(app.App.Services);
        await listener.StartAsync(CancellationToken.None);
        var result = await recorded.Task.WaitAsync(HangGuard);
        await listener.StopAsync(CancellationToken.None);
        Assert.True(result.Status == "FILLED", $"{result.Status}: {result.Reason}");
    }

    [Fact]
    public async Task A_passive_process_with_no_hand_back_window_blocks_the_intent_at_once()
    {
        var rig = Rig().Hooks(("switch", "switchSite", null)).Set("Failover:PassiveHandBackSeconds", "0");
        await using var primary = await rig.StartAsync("primary");
        await using var backup = await rig.StartAsync("backup");
        var cloid = await FailoverRig.PostOrderAsync(primary);
        Assert.Contains("BLOCKED SITE_PASSIVE", Assert.Single(await FailoverRig.DeliverAllAsync(backup, _queue)), StringComparison.Ordinal);
        var (_, order) = await primary.SendAsync(HttpMethod.Get, $"/api/orders/{cloid}", TestApp.FunctionKey);
        Assert.StartsWith("SITE_PASSIVE: this process runs site backup; the active site is primary", (string?)order!["reason"], StringComparison.Ordinal);
        Assert.Empty((await _queue.PeekMessagesAsync(5)).Value);
        Assert.Equal(0, _sim.Stats.Orders);
    }

    [Fact]
    public async Task A_passive_process_blocks_an_intent_no_active_process_took_within_the_hand_back_window()
    {
        var rig = Rig().Hooks(("switch", "switchSite", null));
        await using var primary = await rig.StartAsync("primary");
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var backup = await rig.StartAsync("backup", clock);
        await FailoverRig.PromoteAsync(primary);
        var (_, message) = await PostAndPeekAsync(primary);
        Assert.Contains("handed back", Assert.Single(await FailoverRig.DeliverAllAsync(backup, _queue)), StringComparison.Ordinal);

        // No process of the primary took it; the same message comes to the backup again, past the 60 s window.
        clock.Advance(TimeSpan.FromMinutes(5));
        await _queue.SendMessageAsync(message);
        var summaries = await FailoverRig.DeliverAllAsync(backup, _queue); // the hand-back's own copy too, if already visible
        Assert.Contains("BLOCKED SITE_PASSIVE", summaries[0], StringComparison.Ordinal);
        Assert.Contains("within 60 s (Failover:PassiveHandBackSeconds)", summaries[0], StringComparison.Ordinal);
        Assert.All(summaries.Skip(1), s => Assert.Contains("already BLOCKED", s, StringComparison.Ordinal));
        Assert.Equal(0, _sim.Stats.Orders);
    }

    /// <summary>Posts an order on <paramref name="app"/> and returns its cloid and the queued message's text (the queue keeps it).</summary>
    private async Task<(string Cloid, string Message)> PostAndPeekAsync(TestApp app)
    {
        var cloid = await FailoverRig.PostOrderAsync(app);
        var peeked = Assert.Single((await _queue.PeekMessagesAsync(5)).Value);
        return (cloid, peeked.Body.ToString());
    }

    [Fact]
    public async Task A_run_abandoned_after_the_switch_is_resumed_by_the_next_process_never_left_half_switched()
    {
        await using var target = await GateTarget.StartAsync();
        var rig = Rig().Hooks(("safe-mode", "setSafetyMode", null), ("switch", "switchSite", null), ("notify", "http", Url(target.Url)), ("venue", "venueConnection", null));
        var runId = await AbandonAsync(rig, target);
        var store = new FailoverStore(new Azure.Data.Tables.TableClient(azurite.ConnectionString, rig.FailoverTable), "default");
        var dead = (await store.ReadAsync(CancellationToken.None))!.Record;
        Assert.Equal((FailoverState.FailingOver, "backup", true, 2), (dead.State, dead.ActiveSite, dead.Run!.Switched, dead.Run.StepsDone));

        // Another process, later than the dead run's lease: the automatic trigger's tick adopts and resumes it.
        target.Open();
        var later = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(10));
        await using var next = await rig.StartAsync("backup", later);
        var tick = await next.App.Services.GetRequiredService<FunctionCatalog>().Get<ITimerFunction>("AutoFailover")
            .RunAsync(new TimerInvocation(later.GetUtcNow(), false), CancellationToken.None);
        Assert.Contains($"Recovered run {runId}", tick, StringComparison.Ordinal);

        var settled = (await store.ReadAsync(CancellationToken.None))!.Record;
        Assert.Equal((FailoverState.FailedOver, "backup", null), (settled.State, settled.ActiveSite, settled.Run));
        var run = (await FailoverRig.GetAsync(next, "/api/failover/history"))["items"]!.AsArray().Single(r => (string?)r!["runId"] == runId)!;
        Assert.Equal("SUCCEEDED", (string?)run["outcome"]);
        Assert.Equal(["safe-mode:pre:SUCCEEDED", "switch:switch:SUCCEEDED", "recover:recovery:SUCCEEDED", "notify:post:SUCCEEDED", "venue:post:SUCCEEDED", "safe-mode:finish:SUCCEEDED"],
            FailoverRig.StepNames(run));
        Assert.Contains("resuming", (string?)run["steps"]![2]!["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_abandoned_before_the_switch_is_rolled_back_and_a_new_failover_can_then_run()
    {
        await using var target = await GateTarget.StartAsync();
        var rig = Rig().Hooks(("safe-mode", "setSafetyMode", null), ("notify", "http", Url(target.Url)), ("switch", "switchSite", null));
        var runId = await AbandonAsync(rig, target);
        var store = new FailoverStore(new Azure.Data.Tables.TableClient(azurite.ConnectionString, rig.FailoverTable), "default");
        var dead = (await store.ReadAsync(CancellationToken.None))!.Record;
        Assert.Equal((FailoverState.FailingOver, "primary", false, 1), (dead.State, dead.ActiveSite, dead.Run!.Switched, dead.Run.StepsDone));

        target.Open();
        var later = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(10));
        await using var next = await rig.StartAsync("primary", later);
        // While the lease holds the run counts as in progress; past it, the next request rolls it back first, then runs.
        var run = await FailoverRig.FailoverAsync(next, "/api/failover", """{"reason":"after the crash","dryRun":false}""", 200);
        Assert.Equal((runId, "backup"), ((string?)run["recoveredRun"], (string?)run["activeSite"]));

        var history = (await FailoverRig.GetAsync(next, "/api/failover/history"))["items"]!.AsArray();
        var dead1 = history.Single(r => (string?)r!["runId"] == runId)!;
        Assert.Equal("ROLLED_BACK", (string?)dead1["outcome"]);
        Assert.Equal(["safe-mode:pre:SUCCEEDED", "recover:recovery:SUCCEEDED", "safe-mode:rollback:ROLLED_BACK"], FailoverRig.StepNames(dead1));
        Assert.Contains("rolling back", (string?)dead1["steps"]![1]!["detail"], StringComparison.Ordinal);
    }

    /// <summary>Starts a real failover in a process, abandons it while a hook waits (the process is gone), returns its run id.</summary>
    private static async Task<string> AbandonAsync(FailoverRig rig, GateTarget target)
    {
        await using var doomed = await rig.StartAsync("primary");
        using var stop = new CancellationTokenSource();
        var coordinator = doomed.App.Services.GetRequiredService<FailoverCoordinator>();
        var running = coordinator.RunAsync(new FailoverRequest(FailoverKind.Failover, "doomed", "operator", false, false, false), stop.Token);
        await target.Arrived.WaitAsync(HangGuard);
        var runId = doomed.App.Services.GetRequiredService<FailoverMemory>().Snapshot().Record!.Run!.RunId;
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        return runId;
    }

    [Fact]
    public async Task A_critical_probe_failing_triggers_one_automatic_failover_then_cooldown_and_daily_cap_refuse_with_clear_messages()
    {
        await using var api = await HttpTarget.StartAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
        var rig = Rig().Hooks(("switch", "switchSite", null))
            .Set("Failover:Automatic", "true").Set("Failover:DailyCap", "2").Set("Failover:CooldownSeconds", "300")
            .Set("ServiceHealth:Enabled", "true")
            .Set("ServiceHealth:Checks:0:Name", "primary-api").Set("ServiceHealth:Checks:0:Type", "http").Set("ServiceHealth:Checks:0:Url", new Uri(api.BaseUrl, "health").ToString())
            .Set("ServiceHealth:Checks:0:Critical", "true").Set("ServiceHealth:Checks:0:FailureThreshold", "2").Set("ServiceHealth:Checks:0:IntervalSeconds", "3600")
            .Set("ServiceHealth:Checks:0:Site", "primary")
            .Set("Failover:Sites:0:Checks:0", "primary-api");
        await using var app = await rig.StartAsync("backup", time);
        var monitor = app.App.Services.GetRequiredService<ServiceHealthMonitor>();
        var probe = Assert.Single(monitor.Probes);
        var auto = app.App.Services.GetRequiredService<FunctionCatalog>().Get<ITimerFunction>("AutoFailover");
        Task<string> Tick() => auto.RunAsync(new TimerInvocation(time.GetUtcNow(), false), CancellationToken.None);
        async Task Probe(int status)
        {
            api.Answer(status, status == 200 ? """{"status":"ok"}""" : "down");
            await monitor.RunOnceAsync(probe, CancellationToken.None);
        }

        await Probe(200);
        Assert.Contains("healthy", await Tick(), StringComparison.Ordinal);
        await Probe(500);
        Assert.Contains("healthy", await Tick(), StringComparison.Ordinal); // one failure is below the threshold of 2
        await Probe(500);
        Assert.StartsWith("Failed over", await Tick(), StringComparison.Ordinal);
        Assert.Contains("Nothing to do in FAILED_OVER", await Tick(), StringComparison.Ordinal); // once: no second failover

        // Failback needs the primary healthy.
        var refused = await FailoverRig.FailoverAsync(app, "/api/failback", """{"reason":"too early","dryRun":false}""", 409);
        Assert.Equal("PRIMARY_UNHEALTHY", (string?)refused["code"]);
        Assert.Contains("primary-api", refused["failingChecks"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        await Probe(200);
        await FailoverRig.FailoverAsync(app, "/api/failback", """{"reason":"primary back","dryRun":false}""", 200);

        // The primary flaps within the cooldown (from the failback at 10:00): refused, recorded and alerted once per episode.
        time.Advance(TimeSpan.FromMinutes(1));
        await Probe(500);
        await Probe(500);
        var cooldown = await Tick();
        Assert.Contains("Refused: COOLDOWN", cooldown, StringComparison.Ordinal);
        Assert.Contains("next failover is allowed at 2026-11-23T10:05:00", cooldown, StringComparison.Ordinal);
        Assert.Contains("Refused: COOLDOWN", await Tick(), StringComparison.Ordinal);
        var manual = await FailoverRig.FailoverAsync(app, "/api/failover", """{"reason":"by hand","dryRun":false}""", 409);
        Assert.Equal(("COOLDOWN", "2026-11-23T10:05:00.0000000+00:00"), ((string?)manual["code"], (string?)manual["nextAllowedAt"]));

        // Past the cooldown: the second automatic failover of the day runs.
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.StartsWith("Failed over", await Tick(), StringComparison.Ordinal);
        await Probe(200);
        await FailoverRig.FailoverAsync(app, "/api/failback", """{"reason":"primary back again","dryRun":false}""", 200);
        time.Advance(TimeSpan.FromMinutes(6));
        await Probe(500);
        await Probe(500);
        var cap = await Tick();
        Assert.Contains("Refused: DAILY_CAP", cap, StringComparison.Ordinal);
        Assert.Contains("the next is allowed at 2026-11-24T00:00:00", cap, StringComparison.Ordinal);
        // force overrides the cooldown, never the cap.
        Assert.Equal("DAILY_CAP", (string?)(await FailoverRig.FailoverAsync(app, "/api/failover", """{"reason":"forced","dryRun":false,"force":true}""", 409))["code"]);

        var history = (await FailoverRig.GetAsync(app, "/api/failover/history"))["items"]!.AsArray()
            .Select(r => $"{(string)r!["kind"]!}:{(string)r["outcome"]!}:{(string)r["actor"]!}").ToArray();
        Assert.Equal([
            "FAILOVER:REFUSED:operator", "FAILOVER:REFUSED:automatic", "FAILBACK:SUCCEEDED:operator", "FAILOVER:SUCCEEDED:automatic",
            "FAILOVER:REFUSED:operator", "FAILOVER:REFUSED:automatic", "FAILBACK:SUCCEEDED:operator", "FAILBACK:REFUSED:operator", "FAILOVER:SUCCEEDED:automatic",
        ], history);
        var status = await FailoverRig.GetAsync(app, "/api/failover");
        Assert.Equal((2, "PRIMARY"), ((int)status["failoversToday"]!, (string?)status["state"]));
    }
}
