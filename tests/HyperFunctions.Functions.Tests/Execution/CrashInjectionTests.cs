using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using HyperFunctions.CrashHarness;
using HyperFunctions.Domain.Execution;
using HyperFunctions.Functions.Execution;
using HyperFunctions.Simulator;
using HyperFunctions.Storage.Execution;
using HyperFunctions.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace HyperFunctions.Functions.Tests.Execution;

/// <summary>
/// Crash safety (issue 10 item 8, docs/execution.md "Crash safety"): the process executing order intents
/// is a real child process (tests/HyperFunctions.CrashHarness: the self-host QueueListener, ExecuteOrderIntent
/// and OrderExecutor with the real order table, ledger and Hyperliquid adapter) and the test kills it with
/// SIGKILL at each crash point — before the send, after the send before the result is recorded, after
/// the result before the queue message is deleted — many times, while intents keep arriving through
/// POST /api/orders. A last clean process drains the queue. Then, at the simulator: every intent's cloid
/// was sent exactly once (orders received = intents, none refused as a duplicate) and is known by cloid;
/// in the order table every intent has its final result. One Azurite and one simulator serve every kill.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CrashInjectionTests(AzuriteFixture azurite, ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>
    /// Kills at each of the three points. The default (30 kills, about a minute on an idle 2-core machine; a child
    /// costs about 1.4 s of CPU up to its kill) keeps the suite short; HF_CRASH_KILLS_PER_POINT=70 is the issue's
    /// "hundreds" (210 kills), green in about 11 minutes (docs/execution.md, "Crash safety").
    /// </summary>
    private static readonly int KillsPerPoint = int.TryParse(Environment.GetEnvironmentVariable("HF_CRASH_KILLS_PER_POINT"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 10;

    /// <summary>Children alive at once, competing for the queue as scaled-out instances would (and sharing a busy machine's CPU fairly).</summary>
    private const int Lanes = 3;

    /// <summary>
    /// New intents queued before each child starts. Each child dies at the first arrival at its point: with
    /// children competing for the queue, a child told to wait for a later arrival could wait for work that
    /// other children took (HF_CRASH_OCCURRENCE exists for single-child runs). Two intents per child mean
    /// another invocation is usually in flight, somewhere else, when the kill comes.
    /// </summary>
    private const int IntentsPerChild = 2;

    /// <summary>
    /// How long a received message stays hidden in a child: a killed child's messages come back after it.
    /// Far longer than any invocation even on a machine loaded 20-fold (10 s was seen to run out there), so
    /// a live child never has a message it holds delivered again; the drain at the end waits at most this.
    /// </summary>
    private const int LeaseMilliseconds = 30_000;

    private static readonly TimeSpan ChildGuard = TimeSpan.FromSeconds(180);
    private static readonly TimeSpan DrainGuard = TimeSpan.FromMinutes(10);
    private static readonly string Dev = SimulatorAccount.Dev.Address.ToLowerInvariant();
    private QueueClient _queue = null!;

    public async Task InitializeAsync()
    {
        _queue = new QueueClient(azurite.ConnectionString, OrderIntentMessage.QueueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await _queue.CreateIfNotExistsAsync();
        await _queue.ClearMessagesAsync();
    }

    public async Task DisposeAsync() => await _queue.ClearMessagesAsync();

    [Fact]
    public async Task Killing_the_executing_process_at_every_crash_point_places_each_intent_exactly_once_and_loses_none()
    {
        var started = Stopwatch.GetTimestamp();
        await using var sim = await HyperliquidSimulator.StartAsync(new SimulatorOptions { Seed = 11, RestWeightPerMinute = 1_000_000 });
        var ledgerTable = AzuriteFixture.UniqueName("CrashLedger");
        var orderTable = AzuriteFixture.UniqueName("CrashOrders");
        var settings = new Dictionary<string, string?>
        {
            ["Storage:LedgerTable"] = ledgerTable,
            ["Execution:Table"] = orderTable,
            // A storage call slower than this puts a process in a local HALT and its intents are BLOCKED (safe, but
            // then nothing reaches BeforeSend): on a machine loaded 20-fold Azurite was seen to need more than 5 s.
            ["Storage:OperationTimeoutSeconds"] = "30",
            // The whole run is one retry window, so the recovery pass below judges staleness, never an exhausted budget.
            ["Execution:RetryBudget:WindowSeconds"] = "86400",
            ["Execution:RetryBudget:MaxAttempts"] = "1000",
            // Nor may an intent expire: the 210-kill run drains for minutes, and every intent must reach the venue once.
            ["Execution:MaxIntentAgeSeconds"] = "0",
            ["Hyperliquid:RestUrl"] = sim.RestUrl.ToString(),
            ["Hyperliquid:WsUrl"] = sim.WsUrl.ToString(),
            ["Hyperliquid:PrivateKey"] = SimulatorAccount.DevPrivateKey,
            ["Hyperliquid:AccountAddress"] = Dev,
        };
        // This process takes the POSTs (records the intent, queues its message) and reads the results; it runs no listener.
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings);
        Assert.Equal(200, (await app.SendAsync(HttpMethod.Post, "/api/safety/promote", TestApp.AdminKey, """{"reason":"crash-injection test"}""")).Status);

        var environment = new Dictionary<string, string?>
        {
            ["HF_SETTINGS_FILE"] = null,
            ["AzureWebJobsStorage"] = null,
            ["Deployment__Mode"] = null,
            ["Storage__ConnectionString"] = azurite.ConnectionString,
            ["Hosting__RunKeeper"] = "false",
            ["ServiceHealth__Enabled"] = "false",
            ["Alerts__Channels__0__Enabled"] = "false",
            [CrashSettings.LeaseVariable] = LeaseMilliseconds.ToString(CultureInfo.InvariantCulture),
            // A child lives a few seconds: counting calls to re-JIT hot methods at tier 1 is work it never profits from (about 7 % of its CPU).
            ["DOTNET_TC_CallCounting"] = "0",
        };
        foreach (var (key, value) in settings) environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;

        // Every kill: a point, in a seeded random order.
        var random = new Random(20261123);
        var plan = new ConcurrentQueue<ExecutionCrashPoint>(Enum.GetValues<ExecutionCrashPoint>()
            .SelectMany(p => Enumerable.Repeat(p, KillsPerPoint)).OrderBy(_ => random.Next()).ToList());
        var cloids = new ConcurrentBag<string>();
        var kills = new ConcurrentDictionary<ExecutionCrashPoint, int>();
        var startTimes = new ConcurrentBag<double>();
        var childCpu = new ConcurrentBag<double>();
        var sequence = 0;

        async Task QueueIntentsAsync()
        {
            for (var i = 0; i < IntentsPerChild; i++)
            {
                var k = Interlocked.Increment(ref sequence);
                var side = k % 2 == 0 ? "buy" : "sell"; // alternating: the position stays near flat
                var request = app.Request(HttpMethod.Post, "/api/orders", TestApp.AdminKey, $$"""{"coin":"BTC","side":"{{side}}","size":"0.001","type":"market","slippage":0.05}""");
                request.Headers.Add("Idempotency-Key", $"crash-{k}");
                using var response = await app.Client.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                Assert.True((int)response.StatusCode == 202, $"POST /api/orders answered {(int)response.StatusCode}: {text}");
                cloids.Add((string)JsonNode.Parse(text)!["cloid"]!);
            }
        }

        async Task LaneAsync()
        {
            while (plan.TryDequeue(out var point))
            {
                await QueueIntentsAsync();
                var env = new Dictionary<string, string?>(environment)
                {
                    [CrashSettings.PointVariable] = point.ToString(),
                    [CrashSettings.OccurrenceVariable] = "1",
                };
                using var child = CrashChild.Start(env);
                string reached;
                try
                {
                    reached = await child.Crashed.Task.WaitAsync(ChildGuard);
                }
                catch (TimeoutException)
                {
                    var blocked = await app.App.Services.GetRequiredService<OrderStore>().ListAsync(OrderStatus.Blocked, 5, CancellationToken.None);
                    throw new TimeoutException($"No child reached {point} within {ChildGuard.TotalSeconds} s. Blocked intents: " +
                        $"{string.Join("; ", blocked.Select(b => b.Reason))}. Last stderr:\n{child.StdErr}");
                }
                Assert.StartsWith(point.ToString() + " ", reached, StringComparison.Ordinal);
                await child.KillAsync();
                Assert.Equal(137, child.Process.ExitCode); // 128 + SIGKILL: it died at the point, it did not return
                kills.AddOrUpdate(point, 1, (_, c) => c + 1);
                if (child.StartTime is { } t) startTimes.Add(t.TotalMilliseconds);
                childCpu.Add(double.Parse(reached[(reached.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Lanes).Select(_ => Task.Run(LaneAsync)));
        var killed = Stopwatch.GetElapsedTime(started);

        await DrainAsync(environment);

        // The production recovery path for what the queue lost: a message whose every delivery killed its child went to
        // order-intents-poison after maxDequeueCount, its intent left RECEIVED or SENDING. The ResolveUnknownOrders
        // timer's resolver, as the app registers it, runs one pass at a time when every row still open is stale (a
        // FakeTimeProvider past Execution:Resolution's staleness and grace); what it queues again, a clean child executes.
        var poison = new QueueClient(azurite.ConnectionString, OrderIntentMessage.QueueName + "-poison", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var poisoned = await poison.ExistsAsync() ? (await poison.GetPropertiesAsync()).Value.ApproximateMessagesCount : 0;
        var resolution = app.App.Services.GetRequiredService<HyperFunctions.Configuration.LoadedConfiguration>().Settings.Execution.Resolution;
        var later = TimeSpan.FromSeconds(Math.Max(resolution.StaleReceivedSeconds, Math.Max(resolution.StaleSendingSeconds, resolution.NotFoundGraceSeconds)) + 1);
        var recovery = ActivatorUtilities.CreateInstance<UnknownOrderResolver>(app.App.Services, (TimeProvider)new FakeTimeProvider(DateTimeOffset.UtcNow + later));
        var pass = await recovery.RunAsync(CancellationToken.None);
        Assert.Equal(0, pass.Failed + pass.BudgetExceeded);
        if (pass.Requeued > 0) await DrainAsync(environment);
        var stillOpen = (await app.App.Services.GetRequiredService<OrderStore>().ListOpenAsync(CancellationToken.None)).Where(o => cloids.Contains(o.Cloid)).ToList();
        Assert.True(stillOpen.Count == 0, $"Open after the recovery pass ({pass}): {string.Join(", ", stillOpen.Select(o => $"{o.Cloid} {o.Status.ToWire()}"))}");

        // Zero duplicates: the venue received exactly one order per intent (a second send of a cloid would be counted too, refused as a duplicate).
        var all = cloids.ToHashSet(StringComparer.Ordinal);
        Assert.Equal(3 * KillsPerPoint * IntentsPerChild, all.Count);
        if (sim.Stats.Orders != all.Count)
        {
            // Say which intents were sent twice: their change histories name the path (a duplicate refused by the venue, then found by cloid).
            var orderStore = app.App.Services.GetRequiredService<OrderStore>();
            var twice = new List<string>();
            foreach (var cloid in all)
            {
                var changes = await orderStore.ReadChangesAsync(cloid, CancellationToken.None);
                // Sent twice: a second SENDING, then the venue's word by cloid (its duplicate refusal is only logged).
                if (changes.Count(c => c.Status == OrderStatus.Sending) < 2 || !(changes[^1].Reason ?? "").Contains("(found by cloid)", StringComparison.Ordinal)) continue;
                twice.Add($"{cloid}: " + string.Join(" → ", changes.Select(c => $"{c.Status.ToWire()} {c.At:HH:mm:ss.fff} {c.Actor}: {c.Reason}")));
                if (twice.Count == 6) break;
            }
            Assert.Fail($"{sim.Stats.Orders} orders at the simulator for {all.Count} intents ({poisoned} poisoned; recovery pass {pass}). Intents sent twice by their history:\n{string.Join("\n", twice)}");
        }
        foreach (var point in Enum.GetValues<ExecutionCrashPoint>()) Assert.Equal(KillsPerPoint, kills.GetValueOrDefault(point));

        // Zero lost: every intent has its final result in the order table, and the venue knows each cloid.
        var store = app.App.Services.GetRequiredService<OrderStore>();
        var adapter = app.App.Services.GetRequiredService<HyperliquidExecutionAdapter>();
        var recoveredFromVenue = 0;
        var sentAgainAfterCrash = 0;
        foreach (var cloid in all)
        {
            var record = await store.GetAsync(cloid, CancellationToken.None);
            Assert.NotNull(record);
            Assert.True(record.Status.IsTerminal(), $"{cloid} ended {record.Status.ToWire()}: {record.Reason}");
            Assert.Contains(record.Status, new[] { OrderStatus.Filled, OrderStatus.Resting, OrderStatus.Accepted, OrderStatus.Rejected });
            Assert.DoesNotContain("Duplicate cloid", record.Reason ?? "", StringComparison.OrdinalIgnoreCase);
            Assert.NotNull(await adapter.FindAsync(cloid, CancellationToken.None));
            if ((record.Reason ?? "").Contains("(found by cloid)", StringComparison.Ordinal)) recoveredFromVenue++;
            var changes = await store.ReadChangesAsync(cloid, CancellationToken.None);
            if (changes.Count(c => c.Status == OrderStatus.Sending) > 1) sentAgainAfterCrash++;
        }
        // The recovery paths ran: results learned from the venue after a crash between send and record, and
        // intents judged again and sent after a crash between SENDING and the send.
        Assert.True(recoveredFromVenue > 0, "No result was ever recovered from the venue by cloid.");
        Assert.True(sentAgainAfterCrash > 0, "No intent was ever judged again after a crash before its send.");

        var times = startTimes.Order().ToArray();
        var cpu = childCpu.Order().ToArray();
        output.WriteLine($"{kills.Values.Sum()} kills ({string.Join(", ", kills.Select(kv => $"{kv.Key} {kv.Value}"))}), {all.Count} intents, " +
            $"{sim.Stats.Orders} orders at the simulator; {poisoned} messages in the poison queue; recovery pass: {pass}; {recoveredFromVenue} results recovered from the venue, {sentAgainAfterCrash} intents sent after a crash before their send.");
        output.WriteLine($"child start (Process.Start to host started): p50 {Percentile(times, 0.5):F0} ms, max {times[^1]:F0} ms; CPU used by a child up to its kill: p50 {Percentile(cpu, 0.5):F0} ms; " +
            $"kills done after {killed.TotalSeconds:F0} s, whole test {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s; load average {LoadAverage()}.");
    }

    /// <summary>A clean child (no crash point) takes whatever is queued, the killed children's messages too once their lease ends, and exits when none is left.</summary>
    private async Task DrainAsync(Dictionary<string, string?> environment)
    {
        // The children before it took one message at a time, so most intents are still queued: the drain takes
        // them as the app does (host.json's batch of 16) and may run a while on a busy machine (a hang guard only).
        var drainEnvironment = new Dictionary<string, string?>(environment)
        {
            [CrashSettings.PointVariable] = null,
            [CrashSettings.BatchSizeVariable] = "16",
        };
        using (var drain = CrashChild.Start(drainEnvironment))
        {
            try
            {
                await drain.Drained.Task.WaitAsync(DrainGuard);
            }
            catch (TimeoutException)
            {
                var left = (await _queue.PeekMessagesAsync(32)).Value;
                var properties = (await _queue.GetPropertiesAsync()).Value;
                throw new TimeoutException($"The drain did not empty the queue within {DrainGuard.TotalMinutes} min: {properties.ApproximateMessagesCount} messages left, " +
                    $"{left.Length} visible (dequeue counts {string.Join(",", left.Select(m => m.DequeueCount))}). Last stderr:\n{drain.StdErr}");
            }
            await drain.Process.WaitForExitAsync().WaitAsync(ChildGuard);
            Assert.Equal(0, drain.Process.ExitCode);
        }
        Assert.Empty((await _queue.PeekMessagesAsync(32)).Value);
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
