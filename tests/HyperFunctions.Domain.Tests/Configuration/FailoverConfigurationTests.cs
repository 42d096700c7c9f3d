using HyperFunctions.Configuration;
using Microsoft.Extensions.Configuration;

namespace HyperFunctions.Domain.Tests.Configuration;

/// <summary>Failover: the shipped two local sites, defaults, and each misconfiguration refused naming the setting.</summary>
public sealed class FailoverConfigurationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hf-failover-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<LoadedConfiguration> Load(string json)
    {
        var file = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(file, json);
        return await ConfigurationLoader.LoadAsync(new ConfigurationBuilder().AddJsonFile(file, optional: false).Build(), file, requireApiKeys: false);
    }

    private const string Sites = """[{"Name":"primary"},{"Name":"backup"}]""";
    private const string Switch = """{"Name":"switch","Kind":"switchSite"}""";

    [Fact]
    public async Task The_shipped_settings_define_two_local_sites_and_run_primary_with_automatic_off_in_Local()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "HyperFunctions.sln"))) root = root.Parent!;
        var file = Path.Combine(root.FullName, "hyperfunctions.json");
        var loaded = await ConfigurationLoader.LoadAsync(new ConfigurationBuilder().AddJsonFile(file, optional: false).Build(), file, requireApiKeys: false);
        var failover = loaded.Settings.Failover;
        Assert.Equal("primary", failover.Site);
        Assert.Equal(["primary", "backup"], failover.EffectiveSites.Select(s => s.Name!));
        Assert.False(failover.AutomaticIn(loaded.Settings.Deployment.Mode));
        Assert.True(failover.AutomaticIn(DeploymentMode.Live));
        Assert.Equal((300, 5, 60), (failover.CooldownSeconds, failover.DailyCap, failover.PassiveHandBackSeconds));
        Assert.Single(failover.EffectiveHooks, h => h.Kind == "switchSite");
        Assert.DoesNotContain(failover.EffectiveHooks, h => h.Kind == "dns");
    }

    [Fact]
    public async Task Without_sites_failover_is_off()
    {
        var loaded = await Load("{}");
        Assert.False(loaded.Settings.Failover.Enabled);
    }

    [Theory]
    [InlineData($$$"""{"Failover":{"Site":"elsewhere","Sites":{{{Sites}}},"Hooks":[{{{Switch}}}]}}""", "Failover:Site 'elsewhere' is not one of Failover:Sites")]
    [InlineData($$$"""{"Failover":{"Sites":{{{Sites}}},"Hooks":[{{{Switch}}}]}}""", "Failover:Site is missing")]
    [InlineData($$$"""{"Failover":{"Site":"primary","Hooks":[{{{Switch}}}]}}""", "Failover:Site is 'primary' but Failover:Sites is empty")]
    [InlineData("""{"Failover":{"Site":"primary","Sites":[{"Name":"primary"},{"Name":"primary"}],"Hooks":[{"Name":"s","Kind":"switchSite"}]}}""", "Failover:Sites:1:Name 'primary' is used by another site")]
    [InlineData($$$"""{"Failover":{"Site":"primary","Sites":{{{Sites}}},"Hooks":[]}}""", "Failover:Hooks has 0 enabled switchSite hook(s) for a failover; it needs exactly one")]
    [InlineData($$$"""{"Failover":{"Site":"primary","Sites":{{{Sites}}},"Hooks":[{{{Switch}}},{"Name":"s2","Kind":"switchSite","Runs":["failback"]}]}}""", "Failover:Hooks has 2 enabled switchSite hook(s) for a failback")]
    [InlineData($$$"""{"Failover":{"Site":"primary","Sites":{{{Sites}}},"Hooks":[{{{Switch}}},{"Name":"switch","Kind":"http","Url":"http://h/"}]}}""", "Failover:Hooks:1:Name 'switch' is used by another hook")]
    [InlineData($$$"""{"Failover":{"Site":"primary","Sites":{{{Sites}}},"Hooks":[{{{Switch}}},{"Name":"call","Kind":"http"}]}}""", "Failover:Hooks:1:Url is missing or not an absolute http(s) URL")]
    [InlineData($$$"""{"Failover":{"Site":"primary","Sites":{{{Sites}}},"Hooks":[{"Name":"switch","Kind":"switchSite","OnFailure":"continue"}]}}""", "a switchSite hook cannot continue on failure")]
    [InlineData($$$"""{"Failover":{"Site":"primary","Sites":[{"Name":"primary","Checks":["nope"]},{"Name":"backup"}],"Hooks":[{{{Switch}}}]}}""", "Failover:Sites:0:Checks:0 'nope' is not a ServiceHealth:Checks probe name")]
    [InlineData($$$"""{"Failover":{"Site":"primary","Sites":{{{Sites}}},"Hooks":[{{{Switch}}}]},"ServiceHealth":{"Checks":[{"Name":"a","Type":"table","Site":"mars"}]}}""", "ServiceHealth:Checks:0:Site 'mars' is not one of Failover:Sites")]
    [InlineData($$$"""{"Failover":{"Site":"primary","Sites":{{{Sites}}},"Hooks":[{"Name":"switch","Kind":"switchSite","OnFailure":"maybe"}]}}""", "OnFailure")]
    [InlineData($$$"""{"Failover":{"Site":"primary","Sites":[{"Name":"only"}],"Hooks":[{{{Switch}}}]}}""", "Sites")]
    [InlineData($$$"""{"Failover":{"Site":"primary","Sites":{{{Sites}}},"Hooks":[{{{Switch}}}],"PassiveHandBackSeconds":3601}}""", "PassiveHandBackSeconds")]
    [InlineData($$$"""{"Failover":{"Site":"primary","Sites":{{{Sites}}},"Hooks":[{{{Switch}}}],"PassiveHandBackSeconds":-1}}""", "PassiveHandBackSeconds")]
    public async Task A_bad_failover_setting_is_refused_naming_it(string json, string expected)
    {
        var ex = await Assert.ThrowsAsync<ConfigurationValidationException>(() => Load(json));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    private const string Dns = """
        {"Provider":"cloudflare","TokenVariable":"HF_DNS_TOKEN","Zone":"023e105f4ecef8ad9ca31a8372d0c353","RecordName":"trade.example.com",
         "RecordType":"A","Sites":{"primary":"203.0.113.10","backup":"198.51.100.20"},"Nameservers":["173.245.58.51","1.1.1.1"]}
        """;

    [Fact]
    public async Task The_documented_Failover_Dns_section_and_a_dns_hook_pass_the_schema()
    {
        var loaded = await Load($$$"""{"Failover":{"Site":"primary","Sites":{{{Sites}}},"Hooks":[{{{Switch}}},{"Name":"switch-dns","Kind":"dns","TimeoutSeconds":400}],"Dns":{{{Dns}}}}}""");
        Assert.Contains(loaded.Settings.Failover.EffectiveHooks, h => h.Kind == "dns");
    }

    [Theory]
    [InlineData("\"Token\":\"x\",", "'Failover.Dns.Token' is not a known setting")]
    [InlineData("\"Provider\":\"route53\",", "'Failover.Dns.Provider' has a value that is not one of the allowed values")]
    public async Task A_bad_Failover_Dns_setting_is_refused_by_the_schema_naming_it(string extra, string expected)
    {
        var dns = Dns.Trim().Insert(1, extra).Replace("\"Provider\":\"cloudflare\",", extra.Contains("Provider", StringComparison.Ordinal) ? "" : "\"Provider\":\"cloudflare\",", StringComparison.Ordinal);
        var ex = await Assert.ThrowsAsync<ConfigurationValidationException>(() => Load($$$"""{"Failover":{"Site":"primary","Sites":{{{Sites}}},"Hooks":[{{{Switch}}}],"Dns":{{{dns}}}}}"""));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
