using HyperFunctions.Configuration;
using Microsoft.Extensions.Configuration;

namespace HyperFunctions.Domain.Tests.Configuration;

/// <summary>ServiceHealth:Checks: defaults, the shipped probes, and every misconfiguration refused naming the setting.</summary>
public sealed class ServiceHealthConfigurationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hf-svchealth-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Task<LoadedConfiguration> Load(string json, IDictionary<string, string?>? env = null)
    {
        var file = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(file, json);
        return LoadFile(file, env);
    }

    private static Task<LoadedConfiguration> LoadFile(string file, IDictionary<string, string?>? env = null)
    {
        var builder = new ConfigurationBuilder().AddJsonFile(file, optional: false);
        if (env is not null) builder.AddInMemoryCollection(env);
        return ConfigurationLoader.LoadAsync(builder.Build(), file, requireApiKeys: false);
    }

    private static string Probes(params string[] probes) => """{"ServiceHealth":{"Checks":[""" + string.Join(",", probes) + "]}}";

    [Fact]
    public async Task A_probe_gets_the_procedures_defaults()
    {
        var loaded = await Load(Probes("""{"Name":"venue","Type":"tcp","Host":"127.0.0.1","Port":5050}"""));
        var probe = Assert.Single(loaded.Settings.ServiceHealth.EffectiveChecks);
        Assert.Equal((10, 5, 3, false, 200), (probe.IntervalSeconds, probe.TimeoutSeconds, probe.FailureThreshold, probe.Critical, probe.ExpectedStatus));
        Assert.Empty((await Load("{}")).Settings.ServiceHealth.EffectiveChecks);
    }

    [Fact]
    public async Task The_shipped_probes_load()
    {
        var loaded = await LoadFile(Path.Combine(RepositoryRoot(), "hyperfunctions.json"));
        var names = loaded.Settings.ServiceHealth.EffectiveChecks.Select(p => (p.Name, p.Type, p.Critical)).ToList();
        Assert.Contains(("venue-rest", "http", true), names);
        Assert.Contains(("ledger-table", "table", true), names);
        Assert.Contains(names, n => n.Type == "tcp");
        Assert.Contains(names, n => n.Type == "process");
    }

    [Theory]
    [InlineData("""{"Name":"a","Type":"ftp"}""", "ServiceHealth:Checks:0:Type 'ftp' is not a probe type; use one of http, tcp, table, process")]
    [InlineData("""{"Name":"a","Type":"http","Url":"x"}""", "ServiceHealth:Checks:0:Url 'x' is not an absolute http(s) URL")]
    [InlineData("""{"Name":"a","Type":"http","Url":"ftp://host/x"}""", "ServiceHealth:Checks:0:Url 'ftp://host/x' is not an absolute http(s) URL")]
    [InlineData("""{"Name":"a","Type":"http"}""", "ServiceHealth:Checks:0:Url is missing")]
    [InlineData("""{"Name":"a","Type":"http","Url":"http://h/","Body":"{}"}""", "ServiceHealth:Checks:0:Body is set but ServiceHealth:Checks:0:Method is not POST")]
    [InlineData("""{"Name":"a","Type":"tcp","Host":"127.0.0.1"}""", "ServiceHealth:Checks:0:Port (0) is not a port number")]
    [InlineData("""{"Name":"a","Type":"tcp","Port":80}""", "ServiceHealth:Checks:0:Host '' is not a host name")]
    [InlineData("""{"Name":"a","Type":"process"}""", "ServiceHealth:Checks:0: a process probe needs exactly one of ProcessName and KeeperHealthUrl")]
    [InlineData("""{"Name":"a","Type":"process","ProcessName":"x","KeeperHealthUrl":"http://h/health"}""", "exactly one of ProcessName and KeeperHealthUrl")]
    [InlineData("""{"Name":"a","Type":"table","IntervalSeconds":5}""", "ServiceHealth:Checks:0:TimeoutSeconds (5) must be less than ServiceHealth:Checks:0:IntervalSeconds (5)")]
    [InlineData("""{"Name":"a","Type":"table","FailureThreshold":-1}""", "'ServiceHealth.Checks[0].FailureThreshold' is below the minimum")]
    [InlineData("""{"Name":"a","Type":"table","Typo":1}""", "'ServiceHealth.Checks[0].Typo' is not a known setting")]
    [InlineData("""{"Type":"table"}""", "ServiceHealth:Checks:0:Name is missing")]
    public async Task A_misconfigured_probe_is_refused_naming_the_setting(string probe, string message)
    {
        var ex = await Assert.ThrowsAsync<ConfigurationValidationException>(() => Load(Probes(probe)));
        Assert.True(ex.Errors.Any(e => e.Contains(message, StringComparison.Ordinal)), string.Join(Environment.NewLine, ex.Errors));
    }

    [Fact]
    public async Task Errors_name_the_index_of_the_bad_probe_and_duplicates()
    {
        var ex = await Assert.ThrowsAsync<ConfigurationValidationException>(() => Load(Probes(
            """{"Name":"a","Type":"table"}""",
            """{"Name":"A","Type":"table"}""",
            """{"Name":"c","Type":"http","Url":"x"}""")));
        Assert.Contains(ex.Errors, e => e.Contains("ServiceHealth:Checks:1:Name 'A' is used by another probe", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Contains("ServiceHealth:Checks:2:Url 'x' is not an absolute http(s) URL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bad_url_is_shown_without_its_secrets()
    {
        var ex = await Assert.ThrowsAsync<ConfigurationValidationException>(() => Load(Probes("""{"Name":"a","Type":"http","Url":"ftp://user:hunter2@host/x?code=SECRET"}""")));
        var error = Assert.Single(ex.Errors, e => e.Contains("ServiceHealth:Checks:0:Url", StringComparison.Ordinal));
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_environment_override_is_checked_like_the_file()
    {
        var json = Probes("""{"Name":"a","Type":"tcp","Host":"127.0.0.1","Port":5050}""");
        var type = await Assert.ThrowsAsync<ConfigurationValidationException>(() => Load(json, new Dictionary<string, string?> { ["ServiceHealth:Checks:0:Type"] = "udp" }));
        Assert.Contains(type.Errors, e => e.Contains("ServiceHealth:Checks:0:Type 'udp'", StringComparison.Ordinal));
        var threshold = await Assert.ThrowsAsync<ConfigurationValidationException>(() => Load(json, new Dictionary<string, string?> { ["ServiceHealth:Checks:0:FailureThreshold"] = "-3" }));
        Assert.True(threshold.Errors.Any(e => e.Contains("ServiceHealth.Checks[0].FailureThreshold", StringComparison.Ordinal) && e.Contains("environment override", StringComparison.Ordinal)), string.Join(Environment.NewLine, threshold.Errors));
        var port = await Assert.ThrowsAsync<ConfigurationValidationException>(() => Load(json, new Dictionary<string, string?> { ["ServiceHealth:Checks:0:Port"] = "http" }));
        Assert.Contains(port.Errors, e => e.Contains("ServiceHealth:Checks:0:Port", StringComparison.Ordinal));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "HyperFunctions.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("repository root");
    }
}
