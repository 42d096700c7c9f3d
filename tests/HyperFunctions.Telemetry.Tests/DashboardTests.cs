using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HyperFunctions.Hyperliquid;
using HyperFunctions.Hyperliquid.Models;
using HyperFunctions.Hyperliquid.Rest;
using HyperFunctions.Hyperliquid.Socket;
using HyperFunctions.Keeper;
using HyperFunctions.Simulator;
using HyperFunctions.Streaming;
using HyperFunctions.Telemetry.Tests.Support;
using HyperFunctions.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HyperFunctions.Telemetry.Tests;

/// <summary>
/// The Grafana dashboard and the app cannot drift: every metric a dashboard query (or annotation) names
/// is in a running app's /metrics. The app here also uses the venue client against the simulator (one
/// info call, a 429, a WebSocket with data flowing), as the keeper and the venue checks will, so the
/// venue and socket series are present too. The stream keeper's row is checked against the standalone
/// keeper's own /metrics (it is a process of its own, scraped on its own), started afterwards so that its
/// venue calls cannot take the function app's 429.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed partial class DashboardTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);

    /// <summary>PromQL words that look like metric names but are not.</summary>
    private static readonly HashSet<string> PromQlWords = new(StringComparer.Ordinal)
    {
        "sum", "max", "min", "avg", "count", "by", "without", "rate", "increase", "irate", "histogram_quantile", "le", "on", "ignoring",
        "group_left", "group_right", "and", "or", "unless", "offset", "bool", "abs", "changes", "delta", "deriv", "clamp_min", "clamp_max",
    };

    public static IEnumerable<string> DashboardFiles() =>
        Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Find(), "infra", "grafana"), "*.json");

    /// <summary>The metric names in every expr of a dashboard: panels (rows nested or not) and annotations.</summary>
    private static SortedSet<string> QueriedMetrics(string dashboardPath)
    {
        var exprs = new List<string>();
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (key, value) in obj)
                    {
                        if (key == "expr" && value is JsonValue v && v.TryGetValue<string>(out var expr)) exprs.Add(expr);
                        else Walk(value);
                    }
                    break;
                case JsonArray array:
                    foreach (var item in array) Walk(item);
                    break;
            }
        }
        Walk(JsonNode.Parse(File.ReadAllText(dashboardPath)));
        Assert.NotEmpty(exprs);
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var expr in exprs)
        {
            // Drop label matchers, legend templates, grouping clauses and range selectors, then take identifiers.
            var stripped = Braces().Replace(expr, " ");
            stripped = Grouping().Replace(stripped, " ");
            stripped = Brackets().Replace(stripped, " ");
            foreach (Match m in Identifier().Matches(stripped))
            {
                if (!PromQlWords.Contains(m.Value) && !m.Value.StartsWith("$", StringComparison.Ordinal)) names.Add(m.Value);
            }
        }
        return names;
    }

    [Fact]
    public async Task Every_metric_the_dashboard_queries_is_in_the_running_apps_metrics()
    {
        await using var simulator = await HyperliquidSimulator.StartAsync(new SimulatorOptions());
        var venue = new Dictionary<string, string?> { ["Hyperliquid:RestUrl"] = simulator.RestUrl.ToString(), ["Hyperliquid:WsUrl"] = simulator.WsUrl.ToString() };
        await using var app = await TelemetryTestApp.StartAsync(azurite.ConnectionString, settings: venue,
            services: s => s.AddHyperliquidClients(new ConfigurationBuilder().AddInMemoryCollection(venue).Build()));
        await app.PromoteAsync();

        // Venue REST: one answer, then a 429 that the client retries past (a rate-limit episode).
        var info = app.App.Services.GetRequiredService<IHyperliquidInfoClient>();
        Assert.NotEmpty(await info.GetAllMidsAsync(CancellationToken.None));
        simulator.Faults.RateLimit(1, TimeSpan.Zero);
        Assert.NotEmpty(await info.GetAllMidsAsync(CancellationToken.None));

        // WebSocket: connected with data flowing.
        var socket = app.App.Services.GetRequiredService<HyperliquidSocket>();
        await socket.SubscribeAsync(Subscription.AllMids(), CancellationToken.None);
        await socket.StartAsync(CancellationToken.None);
        using (var guard = new CancellationTokenSource(Guard))
        {
            while (await socket.Events.ReadAsync(guard.Token) is not AllMidsEvent) { }
        }

        var text = await app.ScrapeAsync();
        var (exit, output) = await PrometheusInstance.CheckMetricsAsync(text);
        Assert.True(exit == 0, $"promtool check metrics exited {exit}: {output}");
        var present = Exposition.SampleNames(text);
        Assert.Equal(1, Exposition.Value(text, "hf_venue_requests_total", ("kind", "info:AllMids"), ("status", "429")));
        Assert.Equal(1, Exposition.Value(text, "hf_venue_rate_limit_episodes_total"));
        Assert.Equal(1, Exposition.Value(text, "hf_ws_connected"));

        var keeperText = await ScrapeKeeperAsync(simulator);
        var (keeperExit, keeperOutput) = await PrometheusInstance.CheckMetricsAsync(keeperText);
        Assert.True(keeperExit == 0, $"promtool check metrics (keeper) exited {keeperExit}: {keeperOutput}");
        Assert.Equal(1, Exposition.Value(keeperText, "hf_keeper_leader"));
        present.UnionWith(Exposition.SampleNames(keeperText));

        foreach (var dashboard in DashboardFiles())
        {
            var queried = QueriedMetrics(dashboard);
            Assert.Contains("hf_safety_mode", queried); // the extraction itself works
            Assert.Contains("hf_keeper_heartbeat_age_seconds", queried); // the keeper row is there
            var missing = queried.Where(name => !present.Contains(name)).ToList();
            Assert.True(missing.Count == 0, $"{Path.GetFileName(dashboard)} queries metrics the app does not expose: {string.Join(", ", missing)}");
        }
    }

    /// <summary>The standalone keeper against the simulator, leading, with a heartbeat, books and funding: every hf_keeper_* series present.</summary>
    private async Task<string> ScrapeKeeperAsync(HyperliquidSimulator simulator)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:LedgerTable"] = AzuriteFixture.UniqueName("Ledger"),
            ["Storage:LeaseContainer"] = "leases-" + Guid.NewGuid().ToString("N")[..8],
            ["Hyperliquid:RestUrl"] = simulator.RestUrl.ToString(),
            ["Hyperliquid:WsUrl"] = simulator.WsUrl.ToString(),
            ["Keeper:TablePrefix"] = AzuriteFixture.UniqueName("K"),
        };
        await using var keeperApp = await KeeperApp.BuildAsync([], b =>
        {
            b.Configuration.AddInMemoryCollection(settings);
            b.WebHost.UseTestServer();
        });
        await keeperApp.StartAsync();
        var keeper = keeperApp.Services.GetRequiredService<StreamKeeper>();
        await keeper.WaitUntilAsync(s => s.IsLeader && s.HeartbeatWrittenAt is not null && s.Markets.Count > 0 && s.Markets.All(m => m.BookAt is not null && m.FundingAt is not null), CancellationToken.None)
            .WaitAsync(Guard);
        using var client = keeperApp.GetTestClient();
        var text = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        await keeperApp.StopAsync();
        return text;
    }

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Braces();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Brackets();

    [GeneratedRegex(@"\$?[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Identifier();
}
