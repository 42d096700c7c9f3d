using HyperFunctions.Telemetry.Tests.Support;
using HyperFunctions.TestSupport;

namespace HyperFunctions.Telemetry.Tests;

/// <summary>A real Prometheus, started with the documented scrape config, scrapes the running app.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class PrometheusScrapeTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    /// <summary>infra/prometheus/prometheus.yml, pointed at this app with its key and a 1 s interval.</summary>
    private static string DocumentedConfigFor(Uri app, string key)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "infra", "prometheus", "prometheus.yml"));
        Assert.Contains("\"127.0.0.1:7071\"", text, StringComparison.Ordinal);
        Assert.Contains("\"FUNCTION_KEY\"", text, StringComparison.Ordinal);
        Assert.Contains("scrape_interval: 15s", text, StringComparison.Ordinal);
        return text
            .Replace("\"127.0.0.1:7071\"", $"\"{app.Authority}\"", StringComparison.Ordinal)
            .Replace("\"FUNCTION_KEY\"", $"\"{key}\"", StringComparison.Ordinal)
            .Replace("scrape_interval: 15s", "scrape_interval: 1s", StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_documented_scrape_config_is_valid()
    {
        var text = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Find(), "infra", "prometheus", "prometheus.yml"));
        var (exit, output) = await PrometheusInstance.CheckConfigAsync(text);
        Assert.True(exit == 0, output);
    }

    [Fact]
    public async Task Prometheus_scrapes_the_app_and_answers_for_the_mode_and_the_transitions_after_a_promote()
    {
        await using var app = await TelemetryTestApp.StartAsync(azurite.ConnectionString, realPort: true);
        var (exit, output) = await PrometheusInstance.CheckMetricsAsync(await app.ScrapeAsync());
        Assert.True(exit == 0, $"promtool check metrics exited {exit}: {output}");

        await using var prometheus = await PrometheusInstance.StartAsync(DocumentedConfigFor(app.Address!, TelemetryTestApp.FunctionKey));
        await PrometheusInstance.PollAsync(async () => await prometheus.ScalarAsync("""hf_safety_mode{job="hyperfunctions",mode="ARMED_SAFE"}""") == 1,
            Guard, "Prometheus did not report ARMED_SAFE\n" + prometheus.Output);
        Assert.Equal(1, await prometheus.ScalarAsync("""up{job="hyperfunctions"}"""));

        await app.PromoteAsync();

        await PrometheusInstance.PollAsync(async () => await prometheus.ScalarAsync("""hf_safety_mode{job="hyperfunctions",mode="ARMED_LIVE"}""") == 1,
            Guard, "Prometheus did not report ARMED_LIVE after the promote");
        Assert.Equal(0, await prometheus.ScalarAsync("""hf_safety_mode{job="hyperfunctions",mode="ARMED_SAFE"}"""));
        var promotes = await prometheus.ScalarAsync("""sum(hf_safety_transitions_total{job="hyperfunctions",from="ARMED_SAFE",to="ARMED_LIVE",reason="MANUAL_PROMOTE"})""");
        Assert.Equal(1, promotes);
        var labels = (await prometheus.QueryAsync("""hf_safety_mode{mode="ARMED_LIVE"}"""))[0]!["metric"]!;
        Assert.Equal("default", (string?)labels["hf_instance"]);
        Assert.Equal(app.Address!.Authority, (string?)labels["instance"]);
    }
}
