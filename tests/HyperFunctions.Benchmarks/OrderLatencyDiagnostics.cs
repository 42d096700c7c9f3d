using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using HyperFunctions.Domain.Execution;
using HyperFunctions.Functions;
using HyperFunctions.Functions.Execution;
using HyperFunctions.Simulator;
using HyperFunctions.Storage;
using HyperFunctions.Storage.Execution;
using HyperFunctions.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HyperFunctions.Benchmarks;

/// <summary>
/// <c>--order-latency [intents]</c>: the function app in self-host mode (its real Kestrel on loopback, the real
/// QueueListener, ExecuteOrderIntent and OrderExecutor, a private Azurite, the simulator's venue) in ARMED_LIVE.
/// Intents go one at a time, with a random idle gap of 0–1.5 s before each (so the listener is in its poll
/// back-off, as between real intents), and each is timed from the POST /api/orders 202 to the order's
/// arrival at the simulator (its order counter, which signals every change). Two arrival paths:
/// <list type="bullet">
/// <item>POST: through PlaceOrder, which nudges the listener of its own process;</item>
/// <item>queued elsewhere: the intent recorded and its message put on the queue directly, as another process
/// would (no nudge): the listener finds it at its next poll.</item>
/// </list>
/// Not a BenchmarkDotNet benchmark: one timed pass with percentiles (docs/performance.md).
/// </summary>
internal static class OrderLatencyDiagnostics
{
    private const string AdminKey = "bench-admin-key-0123456789";

    public static async Task<int> RunAsync(int intents)
    {
        await using var azurite = await AzuriteInstance.StartNewAsync();
        await using var sim = await HyperliquidSimulator.StartAsync(new SimulatorOptions { Seed = 5, RestWeightPerMinute = 1_000_000 });
        var port = RunningProcess.FreePort();
        var values = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Api:AdminKey"] = AdminKey,
            ["Api:FunctionKey"] = "bench-function-key-0123456789",
            ["Hosting:RunTimers"] = "false",
            ["Hosting:RunQueues"] = "true",
            ["Hosting:RunKeeper"] = "false",
            ["ServiceHealth:Enabled"] = "false",
            ["Alerts:Channels:0:Enabled"] = "false",
            ["Hyperliquid:RestUrl"] = sim.RestUrl.ToString(),
            ["Hyperliquid:WsUrl"] = sim.WsUrl.ToString(),
            ["Hyperliquid:PrivateKey"] = SimulatorAccount.DevPrivateKey,
            ["Hyperliquid:AccountAddress"] = SimulatorAccount.Dev.Address,
            ["Logging:LogLevel:Default"] = "Warning",
            ["FUNCTIONS_CUSTOMHANDLER_PORT"] = "",
        };
        var app = await HyperFunctionsApp.BuildAsync([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(values);
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        });
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            http.DefaultRequestHeaders.Add("x-functions-key", AdminKey);
            using (var promoted = await http.PostAsync(new Uri("/api/safety/promote", UriKind.Relative), Json("""{"reason":"order latency benchmark"}""")))
                promoted.EnsureSuccessStatusCode();

            var store = app.Services.GetRequiredService<OrderStore>();
            var storage = app.Services.GetRequiredService<StorageClients>();
            var random = new Random(7);
            var sequence = 0;

            async Task<(double Accept, double ToVenue, string Cloid, DateTimeOffset AcceptedAt)> OneAsync(bool viaPost)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(0, 1500))); // idle: the listener backs off
                var side = ++sequence % 2 == 0 ? "buy" : "sell";
                var expected = sim.Stats.Orders + 1;
                using var arrived = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                var arrival = sim.WaitUntilAsync(() => sim.Stats.Orders >= expected, arrived.Token);
                var start = Stopwatch.GetTimestamp();
                long accepted;
                string cloid;
                if (viaPost)
                {
                    using var response = await http.PostAsync(new Uri("/api/orders", UriKind.Relative),
                        Json($$"""{"coin":"BTC","side":"{{side}}","size":"0.001","type":"market","slippage":0.05}"""));
                    accepted = Stopwatch.GetTimestamp();
                    var body = await response.Content.ReadAsStringAsync();
                    if ((int)response.StatusCode != 202) throw new InvalidOperationException($"POST /api/orders answered {(int)response.StatusCode}: {body}");
                    cloid = (string)System.Text.Json.Nodes.JsonNode.Parse(body)!["cloid"]!;
                }
                else
                {
                    var (intent, errors) = OrderIntentRules.Validate(new OrderIntentDraft("BTC", side, 0.001m, "market", null, 0.05m, null, false, null), $"bench:{sequence}");
                    if (intent is null) throw new InvalidOperationException(string.Join("; ", errors.Keys));
                    await store.RecordAsync(intent, "bench", DateTimeOffset.UtcNow, CancellationToken.None);
                    await OrderIntentMessage.From(intent).SendAsync(storage.Queues, CancellationToken.None);
                    accepted = Stopwatch.GetTimestamp();
                    cloid = intent.Cloid;
                }
                var acceptedAt = DateTimeOffset.UtcNow;
                await arrival;
                var done = Stopwatch.GetTimestamp();
                return ((accepted - start) * 1000.0 / Stopwatch.Frequency, (done - accepted) * 1000.0 / Stopwatch.Frequency, cloid, acceptedAt);
            }

            for (var i = 0; i < 10; i++) await OneAsync(viaPost: true); // warm-up: JIT, connections, table creation
            var report = new StringBuilder();
            foreach (var viaPost in new[] { true, false })
            {
                var samples = new List<(double Accept, double ToVenue, string Cloid, DateTimeOffset AcceptedAt)>();
                for (var i = 0; i < intents; i++) samples.Add(await OneAsync(viaPost));
                var venue = samples.Select(s => s.ToVenue).Order().ToArray();
                var accept = samples.Select(s => s.Accept).Order().ToArray();
                report.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"{(viaPost ? "POST /api/orders (nudge)" : "queued by another process"),-28} n={intents}  202→venue p50 {P(venue, 0.5),6:F1} ms  p99 {P(venue, 0.99),7:F1} ms  max {venue[^1],7:F1} ms" +
                    $"  |  request→202 p50 {P(accept, 0.5),5:F1} ms  p99 {P(accept, 0.99),6:F1} ms"));
                // Where the slowest intent spent its time: its recorded state changes, relative to its 202.
                var slowest = samples.MaxBy(s => s.ToVenue);
                var changes = await store.ReadChangesAsync(slowest.Cloid, CancellationToken.None);
                var timeline = changes.Select(c => string.Create(CultureInfo.InvariantCulture,
                    $"{c.Status.ToWire()} {(c.At - slowest.AcceptedAt).TotalMilliseconds:+0;-0} ms ({c.Actor}{(c.Reason is { } r ? ": " + r : "")})"));
                report.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  slowest ({slowest.ToVenue:F0} ms) {slowest.Cloid}: ") + string.Join(" → ", timeline));
            }
            // The client's own pacing: the venue allows 1200 weight per minute per IP, and the client waits rather than draw 429s.
            var gate = app.Services.GetRequiredService<HyperFunctions.Hyperliquid.Rest.WeightBudgetGate>();
            var (budget, used, _) = gate.Snapshot();
            report.AppendLine(string.Create(CultureInfo.InvariantCulture, $"client weight budget: {gate.LocalWaits} request(s) waited for room; {used} of {budget} per minute in use at the end"));
            Console.WriteLine(report.ToString());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"orders at the simulator: {sim.Stats.Orders}; {Environment.ProcessorCount} CPUs; load average {LoadAverage()}"));
            return 0;
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static double P(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
