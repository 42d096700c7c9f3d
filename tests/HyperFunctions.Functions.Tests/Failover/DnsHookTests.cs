using HyperFunctions.Configuration;
using HyperFunctions.Dns;
using HyperFunctions.Functions.Tests.ServiceHealth;
using HyperFunctions.Simulator;
using HyperFunctions.TestSupport;
using HyperFunctions.TestSupport.Dns;

namespace HyperFunctions.Functions.Tests.Failover;

/// <summary>
/// The dns hook kind end to end: POST /api/failover and /api/failback on an app (Azurite, the simulator) whose Failover:Dns
/// points at the provider stand-in (real Kestrel, Cloudflare API shape) and local UDP nameservers answering from the same
/// zone. The token is in an environment variable of a per-test name; the nameservers answer the new content at once, so
/// the verification's first round matches and no time has to pass.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DnsHookTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Record = "trade.example.test";
    private const string PrimaryAddress = "203.0.113.10";
    private const string BackupAddress = "198.51.100.20";

    private readonly StandInZone _zone = new("example.test");
    private readonly string _tokenVariable = "HF_TEST_DNS_TOKEN_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
    private HyperliquidSimulator _sim = null!;
    private ProviderStandIn _api = null!;
    private LocalDnsServer[] _nameservers = [];

    public async Task InitializeAsync()
    {
        _sim = await HyperliquidSimulator.StartAsync(new SimulatorOptions { Seed = 12 });
        _zone.Add(Record, DnsRecordType.A, 120, PrimaryAddress);
        _api = await ProviderStandIn.StartAsync(_zone);
        _nameservers = [new LocalDnsServer(_zone), new LocalDnsServer(_zone)];
        Environment.SetEnvironmentVariable(_tokenVariable, _api.ExpectedToken);
    }

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable(_tokenVariable, null);
        foreach (var ns in _nameservers) await ns.DisposeAsync();
        await _api.DisposeAsync();
        await _sim.DisposeAsync();
    }

    private string RecordContent => string.Join(",", _zone.Find(Record, DnsRecordType.A)!.Contents);

    private int Patches => _api.Requests.Count(r => r.Method == "PATCH");

    private FailoverRig Rig(bool withDns = true)
    {
        var rig = new FailoverRig(azurite.ConnectionString, _sim);
        if (!withDns) return rig;
        rig.Set("Failover:Dns:Provider", DnsProviders.Cloudflare)
            .Set("Failover:Dns:BaseUrl", _api.CloudflareBaseUrl)
            .Set("Failover:Dns:TokenVariable", _tokenVariable)
            .Set("Failover:Dns:Zone", ProviderStandIn.CloudflareZoneId)
            .Set("Failover:Dns:RecordName", Record)
            .Set("Failover:Dns:Sites:primary", PrimaryAddress)
            .Set("Failover:Dns:Sites:backup", BackupAddress)
            .Set("Failover:Dns:VerifyTimeoutSeconds", "20")
            .Set("Failover:Dns:PollIntervalSeconds", "2");
        for (var i = 0; i < _nameservers.Length; i++) rig.Set($"Failover:Dns:Nameservers:{i}", _nameservers[i].Address);
        return rig;
    }

    [Fact]
    public async Task A_failover_points_the_record_at_the_backup_with_per_nameserver_detail_and_a_failback_points_it_back()
    {
        var rig = Rig().Hooks(("switch", "switchSite", null), ("dns", "dns", null));
        await using var app = await rig.StartAsync("primary");

        // The dry-run says what would change and that its preconditions hold, and calls no provider.
        var plan = await FailoverRig.FailoverAsync(app, "/api/failover", """{"reason":"rehearsal"}""", 200);
        var dnsStep = plan["steps"]!.AsArray().Single(s => (string?)s!["name"] == "dns")!;
        var wouldDo = (string?)dnsStep["wouldDo"];
        Assert.Contains($"from {PrimaryAddress} (site primary) to {BackupAddress} (site backup)", wouldDo, StringComparison.Ordinal);
        Assert.Contains("not looked up in a dry-run", wouldDo, StringComparison.Ordinal);
        Assert.True((bool)plan["wouldRun"]!);
        var dnsPreconditions = dnsStep["preconditions"]!.AsArray();
        Assert.Equal(2, dnsPreconditions.Count); // content for the target site, the token variable set
        Assert.All(dnsPreconditions, p => Assert.True((bool)p!["holds"]!, p.ToJsonString()));
        Assert.Contains(dnsPreconditions, p => ((string?)p!["description"])!.Contains(_tokenVariable, StringComparison.Ordinal));
        Assert.Empty(_api.Requests);
        Assert.Equal(PrimaryAddress, RecordContent);

        var run = await FailoverRig.FailoverAsync(app, "/api/failover", """{"reason":"maintenance","dryRun":false}""", 200);
        Assert.True((bool)run["success"]!, run.ToJsonString());
        Assert.Equal(["switch:switch:SUCCEEDED", "dns:post:SUCCEEDED"], FailoverRig.StepNames(run));
        Assert.Equal(BackupAddress, RecordContent);
        Assert.Equal(1, Patches);
        var detail = (string?)run["steps"]!.AsArray()[1]!["detail"];
        Assert.Contains($"changed from {PrimaryAddress} to {BackupAddress}", detail, StringComparison.Ordinal);
        Assert.All(_nameservers, ns => Assert.Contains($"{ns.Address}: matched after", detail, StringComparison.Ordinal));
        Assert.DoesNotContain(_api.ExpectedToken, run.ToJsonString(), StringComparison.Ordinal);

        var history = (await FailoverRig.GetAsync(app, "/api/failover/history"))["items"]!.AsArray();
        var recorded = history.Single(r => (string?)r!["kind"] == "FAILOVER" && (string?)r["outcome"] == "SUCCEEDED")!;
        var recordedDns = recorded["steps"]!.AsArray().Single(s => (string?)s!["name"] == "dns")!;
        Assert.All(_nameservers, ns => Assert.Contains(ns.Address, (string?)recordedDns["detail"], StringComparison.Ordinal));

        var back = await FailoverRig.FailoverAsync(app, "/api/failback", """{"reason":"primary is fine","dryRun":false}""", 200);
        Assert.True((bool)back["success"]!, back.ToJsonString());
        Assert.Equal(["switch:switch:SUCCEEDED", "dns:post:SUCCEEDED"], FailoverRig.StepNames(back));
        Assert.Equal(PrimaryAddress, RecordContent);
        Assert.Contains($"changed from {BackupAddress} to {PrimaryAddress}", (string?)back["steps"]!.AsArray()[1]!["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_dns_update_with_abortAndRollBack_rolls_the_run_back_and_leaves_the_record()
    {
        var rig = Rig().Hooks(("switch", "switchSite", null), ("dns", "dns", null));
        await using var app = await rig.StartAsync("primary");
        _api.ExpectedToken = "a-token-the-environment-does-not-hold"; // the provider now refuses the token the app reads (HTTP 403)

        var run = await FailoverRig.FailoverAsync(app, "/api/failover", """{"reason":"dns refuses","dryRun":false}""", 200);
        Assert.False((bool)run["success"]!);
        Assert.Equal(("ROLLED_BACK", "PRIMARY", "primary"), ((string?)run["outcome"], (string?)run["state"], (string?)run["activeSite"]));
        Assert.Equal(["switch:switch:SUCCEEDED", "dns:post:FAILED", "switch:rollback:ROLLED_BACK"], FailoverRig.StepNames(run));
        var detail = (string?)run["steps"]!.AsArray()[1]!["detail"];
        Assert.Contains("403", detail, StringComparison.Ordinal);
        Assert.Contains(_tokenVariable, detail, StringComparison.Ordinal);
        Assert.Equal(PrimaryAddress, RecordContent);
        Assert.Equal(0, Patches);
    }

    [Fact]
    public async Task A_later_failing_hook_rolls_the_dns_switch_back_to_the_primary()
    {
        await using var broken = await HttpTarget.StartAsync();
        broken.Answer(500, "nope");
        var rig = Rig().Hooks(("switch", "switchSite", null), ("dns", "dns", null),
            ("verify", "http", new() { ["Url"] = new Uri(broken.BaseUrl, "verify").ToString() }));
        await using var app = await rig.StartAsync("primary");

        var run = await FailoverRig.FailoverAsync(app, "/api/failover", """{"reason":"verify fails","dryRun":false}""", 200);
        Assert.Equal("ROLLED_BACK", (string?)run["outcome"]);
        Assert.Equal(["switch:switch:SUCCEEDED", "dns:post:SUCCEEDED", "verify:post:FAILED", "dns:rollback:ROLLED_BACK", "switch:rollback:ROLLED_BACK"],
            FailoverRig.StepNames(run));
        Assert.Equal(PrimaryAddress, RecordContent);
        Assert.Equal(2, Patches);
        Assert.Contains($"changed from {BackupAddress} to {PrimaryAddress}", (string?)run["steps"]!.AsArray()[3]!["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_switch_that_does_not_propagate_in_time_puts_the_record_back_before_the_run_rolls_back()
    {
        var time = new DrivenTime(DateTimeOffset.UtcNow);
        // Provider calls are real I/O: their per-attempt timeout (on the same clock) is put past the horizon too.
        // The app's background refreshers (every Storage:ProbeIntervalSeconds) are put past the horizon: a periodic timer
        // would carry the clock on while a step's real I/O is in flight (the switch's Azurite write, a provider call).
        var rig = Rig().Set("Failover:Dns:RequestTimeoutSeconds", "120").Set("Storage:ProbeIntervalSeconds", "300").Hooks(("switch", "switchSite", null), ("dns", "dns", new() { ["TimeoutSeconds"] = "400" }));
        await using var app = await rig.StartAsync("primary", time);
        _nameservers[1].Freeze(); // keeps answering the primary's address

        // The verification's rounds wait on the driven clock (2 s apart, 20 s in all), and only they are within the horizon.
        // The drive may also move the clock 100 s at most, so the hook's 400 s and the requests' 120 s timeouts can never
        // fire however slow the machine (before both, the test was seen failing under load: "Timed out after 400 s").
        var (status, run) = await time.DriveAsync(app.SendAsync(HttpMethod.Post, "/api/failover", TestApp.AdminKey, """{"reason":"slow dns","dryRun":false}"""),
            TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(60), limit: TimeSpan.FromSeconds(100));
        Assert.Equal(200, status);
        Assert.Equal("ROLLED_BACK", (string?)run!["outcome"]);
        Assert.Equal(["switch:switch:SUCCEEDED", "dns:post:FAILED", "switch:rollback:ROLLED_BACK"], FailoverRig.StepNames(run));
        var detail = (string?)run["steps"]!.AsArray()[1]!["detail"];
        Assert.True(detail!.Contains($"{_nameservers[1].Address} answered {PrimaryAddress}", StringComparison.Ordinal), detail);
        Assert.Contains("Put back to site primary", detail, StringComparison.Ordinal);
        Assert.Equal(PrimaryAddress, RecordContent);
        Assert.Equal(2, Patches);
    }

    [Fact]
    public async Task A_dns_hook_without_the_Failover_Dns_section_is_a_start_up_error_naming_it()
    {
        var rig = Rig(withDns: false).Hooks(("switch", "switchSite", null), ("dns", "dns", null));
        var ex = await Assert.ThrowsAsync<ConfigurationValidationException>(() => rig.StartAsync("primary"));
        var error = Assert.Single(ex.Errors);
        Assert.Contains("hook 'dns'", error, StringComparison.Ordinal);
        Assert.Contains("Failover:Dns", error, StringComparison.Ordinal);
    }
}
