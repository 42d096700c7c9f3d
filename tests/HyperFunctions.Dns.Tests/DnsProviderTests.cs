using HyperFunctions.Dns;
using HyperFunctions.Dns.Providers;
using HyperFunctions.Dns.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace HyperFunctions.Dns.Tests;

/// <summary>Each provider against the stand-in, below the switcher: record kinds, ambiguity, concurrency.</summary>
public sealed class DnsProviderTests
{
    public static TheoryData<string> Providers => [DnsProviders.Cloudflare, DnsProviders.DigitalOcean, DnsProviders.Azure];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_cname_switches_and_the_nameservers_answer_the_new_target(string provider)
    {
        await using var h = await DnsHarness.StartAsync();
        h.Zone.Add("app.example.test", DnsRecordType.CNAME, 300, "primary.westeurope.example.net");
        h.Build(provider, o =>
        {
            o.RecordName = "app.example.test";
            o.RecordType = "CNAME";
            o.Sites = new(StringComparer.Ordinal) { ["primary"] = "primary.westeurope.example.net", ["backup"] = "backup.northeurope.example.net." };
        });

        var result = await h.Switcher.SwitchAsync("backup", CancellationToken.None);

        Assert.Equal(DnsSwitchOutcome.Switched, result.Outcome);
        var record = h.Zone.Find("app.example.test", DnsRecordType.CNAME)!;
        Assert.Equal(["backup.northeurope.example.net"], record.Contents.Select(c => c.TrimEnd('.')));
        Assert.Equal(300, record.Ttl);
        Assert.All(result.Propagation!.Nameservers, n => Assert.Equal("backup.northeurope.example.net", n.AnsweredContent));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task An_aaaa_record_switches_between_ipv6_addresses(string provider)
    {
        await using var h = await DnsHarness.StartAsync();
        h.Zone.Add("v6.example.test", DnsRecordType.AAAA, 60, "2001:db8::10");
        h.Build(provider, o =>
        {
            o.RecordName = "v6.example.test";
            o.RecordType = "AAAA";
            o.Sites = new(StringComparer.Ordinal) { ["primary"] = "2001:db8::10", ["backup"] = "2001:0db8:0000::20" };
        });

        var result = await h.Switcher.SwitchAsync("backup", CancellationToken.None);

        Assert.Equal(DnsSwitchOutcome.Switched, result.Outcome);
        Assert.Equal(["2001:db8::20"], h.Zone.Find("v6.example.test", DnsRecordType.AAAA)!.Contents);
        Assert.All(result.Propagation!.Nameservers, n => Assert.Equal("2001:db8::20", n.AnsweredContent));
    }

    [Theory]
    [InlineData(DnsProviders.Cloudflare)]
    [InlineData(DnsProviders.DigitalOcean)]
    public async Task Several_records_of_the_name_are_refused_rather_than_one_picked(string provider)
    {
        await using var h = await DnsHarness.StartAsync();
        h.Zone.Add(DnsHarness.RecordName, DnsRecordType.A, DnsHarness.Ttl, DnsHarness.PrimaryAddress, "203.0.113.11");
        h.Build(provider);

        var result = await h.Switcher.SwitchAsync("backup", CancellationToken.None);

        Assert.Equal(DnsSwitchOutcome.Failed, result.Outcome);
        Assert.Contains("has 2 A records named trade.example.test; the switch needs exactly one", result.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(h.Api.Requests, r => r.Method is "PATCH" or "PUT");
    }

    [Fact]
    public async Task An_azure_record_set_of_several_addresses_becomes_the_one_target()
    {
        await using var h = await DnsHarness.StartAsync();
        h.Zone.Add(DnsHarness.RecordName, DnsRecordType.A, DnsHarness.Ttl, DnsHarness.PrimaryAddress, DnsHarness.BackupAddress);
        h.Build(DnsProviders.Azure);

        var result = await h.Switcher.SwitchAsync("backup", CancellationToken.None);

        Assert.Equal(DnsSwitchOutcome.Switched, result.Outcome);
        Assert.Equal("203.0.113.10, 198.51.100.20", result.PreviousContent);
        Assert.Equal([DnsHarness.BackupAddress], h.Zone.Find(DnsHarness.RecordName, DnsRecordType.A)!.Contents);
    }

    [Fact]
    public async Task Azure_never_overwrites_a_record_set_changed_since_it_was_read()
    {
        await using var h = (await DnsHarness.StartAsync()).Build(DnsProviders.Azure);
        var azure = h.Services.GetRequiredService<AzureDnsProvider>();
        var read = await azure.FindRecordAsync(DnsHarness.ZoneName, DnsHarness.RecordName, DnsRecordType.A, CancellationToken.None);
        Assert.NotNull(read);
        // Someone else changes the record set in between (a new ETag).
        h.Zone.Update(h.Zone.Find(DnsHarness.RecordName, DnsRecordType.A)!, ["192.0.2.99"], null);

        var error = await Assert.ThrowsAsync<DnsProviderException>(() => azure.UpdateRecordAsync(read, DnsHarness.BackupAddress, CancellationToken.None));

        Assert.Equal(412, error.StatusCode);
        Assert.Contains("changed since it was read", error.Message, StringComparison.Ordinal);
        Assert.Equal(["192.0.2.99"], h.Zone.Find(DnsHarness.RecordName, DnsRecordType.A)!.Contents);
    }

    [Fact]
    public async Task Azure_answers_no_record_for_a_missing_record_set()
    {
        await using var h = (await DnsHarness.StartAsync()).Build(DnsProviders.Azure);
        var azure = h.Services.GetRequiredService<AzureDnsProvider>();

        Assert.Null(await azure.FindRecordAsync(DnsHarness.ZoneName, "nothing.example.test", DnsRecordType.A, CancellationToken.None));
        Assert.Null(await azure.FindRecordAsync(DnsHarness.ZoneName, DnsHarness.RecordName, DnsRecordType.AAAA, CancellationToken.None));
    }

    [Fact]
    public async Task The_configured_provider_is_the_one_resolved()
    {
        await using var h = (await DnsHarness.StartAsync()).Build(DnsProviders.DigitalOcean);
        Assert.IsType<DigitalOceanDnsProvider>(h.Services.GetRequiredService<IDnsProvider>());
        Assert.Equal("digitalocean", h.Services.GetRequiredService<IDnsProvider>().Name);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_transient_api_failure_is_retried_and_the_switch_completes(string provider)
    {
        await using var h = (await DnsHarness.StartAsync()).Build(provider);
        h.Api.FailNext(2); // the lookup fails twice with 503; the third attempt gets through

        // The retry pipeline waits on the injected clock; the driver moves it whenever something waits.
        var result = await h.Time.DriveAsync(h.Switcher.SwitchAsync("backup", CancellationToken.None), TimeSpan.FromSeconds(5));

        Assert.Equal(DnsSwitchOutcome.Switched, result.Outcome);
        var requests = h.Api.Requests.ToArray();
        Assert.Equal(4, requests.Length); // three lookups, one update
        Assert.Equal(3, requests.Take(3).Count(r => r.Method == "GET"));
        Assert.Equal([DnsHarness.BackupAddress], h.Zone.Find(DnsHarness.RecordName, DnsRecordType.A)!.Contents);
    }

    [Fact]
    public async Task An_api_that_stays_unavailable_fails_the_switch_after_three_attempts()
    {
        await using var h = (await DnsHarness.StartAsync()).Build(DnsProviders.Cloudflare);
        h.Api.FailNext(10);

        var result = await h.Time.DriveAsync(h.Switcher.SwitchAsync("backup", CancellationToken.None), TimeSpan.FromSeconds(5));

        Assert.Equal(DnsSwitchOutcome.Failed, result.Outcome);
        Assert.Equal("cloudflare record lookup failed with HTTP 503: upstream busy.", result.Detail);
        Assert.Equal(3, h.Api.Requests.Count);
        Assert.Equal([DnsHarness.PrimaryAddress], h.Zone.Find(DnsHarness.RecordName, DnsRecordType.A)!.Contents);
    }
}
