using HyperFunctions.Dns;
using HyperFunctions.Dns.Tests.Support;

namespace HyperFunctions.Dns.Tests;

/// <summary>
/// The whole switch against the provider stand-in (a real HTTP listener) and three local nameservers (real UDP), for each
/// provider: the record changes, its TTL stays, and every nameserver is reported.
/// </summary>
public sealed class DnsSwitchEndToEndTests
{
    public static TheoryData<string> Providers => [DnsProviders.Cloudflare, DnsProviders.DigitalOcean, DnsProviders.Azure];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Switch_changes_the_record_keeps_its_ttl_and_every_nameserver_confirms(string provider)
    {
        await using var h = (await DnsHarness.StartAsync()).Build(provider);
        using var switches = h.SwitchCounter();
        using var propagation = h.PropagationHistogram();

        var result = await h.Switcher.SwitchAsync("backup", CancellationToken.None);

        Assert.Equal(DnsSwitchOutcome.Switched, result.Outcome);
        Assert.True(result.Succeeded);
        var record = h.Zone.Find(DnsHarness.RecordName, DnsRecordType.A)!;
        Assert.Equal([DnsHarness.BackupAddress], record.Contents);
        Assert.Equal(DnsHarness.Ttl, record.Ttl);
        Assert.Equal(DnsHarness.PrimaryAddress, result.PreviousContent);
        Assert.Equal(DnsHarness.Ttl, result.Ttl);
        Assert.Equal(provider, result.Provider);

        var report = result.Propagation!;
        Assert.True(report.AllMatched);
        Assert.Equal(h.Nameservers.Select(n => n.Address).Order(), report.Nameservers.Select(n => n.Nameserver).Order());
        Assert.All(report.Nameservers, n =>
        {
            Assert.True(n.Matched);
            Assert.Equal(DnsHarness.BackupAddress, n.AnsweredContent);
            Assert.Null(n.LastError);
            Assert.Equal(1, n.Attempts);
            Assert.Equal(TimeSpan.Zero, n.TimeToMatch);
        });
        Assert.All(h.Nameservers, n => Assert.Equal(1, n.Questions));
        Assert.Contains("changed from 203.0.113.10 to 198.51.100.20", result.Detail, StringComparison.Ordinal);
        Assert.Contains("TTL 120 s kept", result.Detail, StringComparison.Ordinal);

        var counted = Assert.Single(switches.GetMeasurementSnapshot());
        Assert.Equal(1, counted.Value);
        Assert.Equal(provider, counted.Tags["provider"]);
        Assert.Equal("switched", counted.Tags["outcome"]);
        var timed = Assert.Single(propagation.GetMeasurementSnapshot());
        Assert.Equal("matched", timed.Tags["outcome"]);
        Assert.Equal(0, timed.Value);
    }

    [Fact]
    public async Task Cloudflare_update_is_a_patch_of_the_content_alone_with_the_bearer_token()
    {
        await using var h = (await DnsHarness.StartAsync()).Build(DnsProviders.Cloudflare);

        await h.Switcher.SwitchAsync("backup", CancellationToken.None);

        var requests = h.Api.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.Equal("GET", requests[0].Method);
        Assert.Equal($"/client/v4/zones/{ProviderStandIn.CloudflareZoneId}/dns_records?type=A&name=trade.example.test", requests[0].PathAndQuery);
        Assert.Equal("PATCH", requests[1].Method);
        Assert.Equal(["content"], requests[1].Json!.Select(p => p.Key));
        Assert.All(requests, r => Assert.Equal("Bearer " + h.Api.ExpectedToken, r.Authorization));
    }

    [Fact]
    public async Task DigitalOcean_update_is_a_put_of_type_name_data_and_the_same_ttl()
    {
        await using var h = (await DnsHarness.StartAsync()).Build(DnsProviders.DigitalOcean);

        await h.Switcher.SwitchAsync("backup", CancellationToken.None);

        var requests = h.Api.Requests.ToArray();
        Assert.Equal($"/v2/domains/{DnsHarness.ZoneName}/records?type=A&name=trade.example.test", requests[0].PathAndQuery);
        Assert.Equal("PUT", requests[1].Method);
        var body = requests[1].Json!;
        Assert.Equal("A", body["type"]!.GetValue<string>());
        Assert.Equal("trade", body["name"]!.GetValue<string>());
        Assert.Equal(DnsHarness.BackupAddress, body["data"]!.GetValue<string>());
        Assert.Equal(DnsHarness.Ttl, body["ttl"]!.GetValue<int>());
    }

    [Fact]
    public async Task Azure_update_is_a_conditional_patch_with_the_read_etag_and_an_arm_token()
    {
        await using var h = await DnsHarness.StartAsync();
        h.Build(DnsProviders.Azure);
        var etagBefore = h.Zone.Find(DnsHarness.RecordName, DnsRecordType.A)!.ETag;

        await h.Switcher.SwitchAsync("backup", CancellationToken.None);

        var requests = h.Api.Requests.ToArray();
        var path = $"/subscriptions/{ProviderStandIn.SubscriptionId}/resourceGroups/{ProviderStandIn.ResourceGroup}/providers/Microsoft.Network/dnsZones/{DnsHarness.ZoneName}/A/trade?api-version=2018-05-01";
        Assert.Equal(["GET " + path, "PATCH " + path], requests.Select(r => r.Method + " " + r.PathAndQuery));
        Assert.Equal(etagBefore, requests[1].IfMatch);
        Assert.Equal(DnsHarness.BackupAddress, requests[1].Json!["properties"]!["ARecords"]![0]!["ipv4Address"]!.GetValue<string>());
        Assert.All(h.AzureCredential.Scopes, s => Assert.Equal("https://management.azure.com/.default", s));
        Assert.NotEmpty(h.AzureCredential.Scopes);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Switch_to_the_content_already_held_changes_nothing_and_says_so(string provider)
    {
        await using var h = (await DnsHarness.StartAsync()).Build(provider);
        using var switches = h.SwitchCounter();

        var result = await h.Switcher.SwitchAsync("primary", CancellationToken.None);

        Assert.Equal(DnsSwitchOutcome.AlreadyCurrent, result.Outcome);
        Assert.True(result.Succeeded);
        Assert.Contains("already 203.0.113.10", result.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(h.Api.Requests, r => r.Method is "PATCH" or "PUT");
        Assert.True(result.Propagation!.AllMatched);
        Assert.Equal("already_current", Assert.Single(switches.GetMeasurementSnapshot()).Tags["outcome"]);
    }

    [Fact]
    public async Task A_lagging_nameserver_makes_the_switch_time_out_and_is_named_in_the_report()
    {
        await using var h = await DnsHarness.StartAsync();
        h.Build(DnsProviders.Cloudflare, o => { o.VerifyTimeoutSeconds = 30; o.PollIntervalSeconds = 5; });
        var lagging = h.Nameservers[1];
        lagging.Freeze(); // keeps answering the old address
        using var switches = h.SwitchCounter();
        using var propagation = h.PropagationHistogram();

        var result = await h.Time.DriveAsync(h.Switcher.SwitchAsync("backup", CancellationToken.None), TimeSpan.FromSeconds(5));

        Assert.Equal(DnsSwitchOutcome.PropagationTimedOut, result.Outcome);
        Assert.False(result.Succeeded);
        Assert.Equal([DnsHarness.BackupAddress], h.Zone.Find(DnsHarness.RecordName, DnsRecordType.A)!.Contents); // the record did change
        var report = result.Propagation!;
        Assert.False(report.AllMatched);
        Assert.Equal(TimeSpan.FromSeconds(30), report.Elapsed);
        var late = Assert.Single(report.Lagging);
        Assert.Equal(lagging.Address, late.Nameserver);
        Assert.Equal(DnsHarness.PrimaryAddress, late.AnsweredContent);
        Assert.Null(late.TimeToMatch);
        Assert.Equal(7, late.Attempts); // t = 0, 5, …, 30
        Assert.Equal(7, lagging.Questions);
        Assert.All(report.Nameservers.Where(n => n.Nameserver != lagging.Address), n => Assert.Equal(1, n.Attempts));
        Assert.Contains($"{lagging.Address} answered 203.0.113.10", result.Detail, StringComparison.Ordinal);
        Assert.Equal("propagation_timeout", Assert.Single(switches.GetMeasurementSnapshot()).Tags["outcome"]);
        var timed = Assert.Single(propagation.GetMeasurementSnapshot());
        Assert.Equal("timed_out", timed.Tags["outcome"]);
        Assert.Equal(30, timed.Value);
        Assert.Contains(h.Logs.GetSnapshot(), r => r.Level == Microsoft.Extensions.Logging.LogLevel.Warning && r.Message.Contains(lagging.Address, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_nameserver_that_catches_up_is_reported_with_its_time_to_match()
    {
        await using var h = await DnsHarness.StartAsync();
        h.Build(DnsProviders.DigitalOcean, o => { o.VerifyTimeoutSeconds = 60; o.PollIntervalSeconds = 10; });
        var slow = h.Nameservers[2];
        slow.Freeze();

        // The slow nameserver gets the change while the verifier waits for the second time (so it matches at t = 20 s).
        var result = await h.Time.DriveAsync(h.Switcher.SwitchAsync("backup", CancellationToken.None), TimeSpan.FromSeconds(10),
            onWait: waits => { if (waits == 2) slow.Live(); });

        Assert.Equal(DnsSwitchOutcome.Switched, result.Outcome);
        var caughtUp = result.Propagation!.Nameservers.Single(n => n.Nameserver == slow.Address);
        Assert.True(caughtUp.Matched);
        Assert.Equal(3, caughtUp.Attempts);
        Assert.Equal(TimeSpan.FromSeconds(20), caughtUp.TimeToMatch);
        Assert.Equal(TimeSpan.FromSeconds(20), result.Propagation.Elapsed);
    }

    [Fact]
    public async Task A_failing_nameserver_is_reported_with_its_error()
    {
        await using var h = await DnsHarness.StartAsync();
        h.Build(DnsProviders.Azure, o => { o.VerifyTimeoutSeconds = 10; o.PollIntervalSeconds = 5; });
        h.Nameservers[0].Fail();

        var result = await h.Time.DriveAsync(h.Switcher.SwitchAsync("backup", CancellationToken.None), TimeSpan.FromSeconds(5));

        Assert.Equal(DnsSwitchOutcome.PropagationTimedOut, result.Outcome);
        var failing = Assert.Single(result.Propagation!.Lagging);
        Assert.Equal(h.Nameservers[0].Address, failing.Nameserver);
        Assert.Equal("SERVFAIL", failing.LastError);
        Assert.Null(failing.AnsweredContent);
        Assert.Equal(3, failing.Attempts);
    }

    [Fact]
    public async Task A_missing_record_fails_with_a_clear_detail_and_no_verification()
    {
        await using var h = await DnsHarness.StartAsync();
        h.Build(DnsProviders.Cloudflare, o => o.RecordName = "absent.example.test");

        var result = await h.Switcher.SwitchAsync("backup", CancellationToken.None);

        Assert.Equal(DnsSwitchOutcome.Failed, result.Outcome);
        Assert.Contains("no A record named absent.example.test", result.Detail, StringComparison.Ordinal);
        Assert.Null(result.Propagation);
        Assert.All(h.Nameservers, n => Assert.Equal(0, n.Questions));
    }

    [Fact]
    public async Task An_unknown_site_fails_naming_the_configured_ones()
    {
        await using var h = (await DnsHarness.StartAsync()).Build(DnsProviders.Cloudflare);

        var result = await h.Switcher.SwitchAsync("tertiary", CancellationToken.None);

        Assert.Equal(DnsSwitchOutcome.Failed, result.Outcome);
        Assert.Equal("Failover:Dns:Sites has no content for site 'tertiary' (configured: backup, primary).", result.Detail);
        Assert.Empty(h.Api.Requests);
    }

    [Fact]
    public async Task Content_invalid_for_the_record_type_is_refused_before_any_call()
    {
        await using var h = (await DnsHarness.StartAsync()).Build(DnsProviders.DigitalOcean);

        var result = await h.Switcher.SwitchToContentAsync("2001:db8::1", site: null, CancellationToken.None);

        Assert.Equal(DnsSwitchOutcome.Failed, result.Outcome);
        Assert.Equal("'2001:db8::1' is not valid content for the A record trade.example.test; nothing was changed.", result.Detail);
        Assert.Empty(h.Api.Requests);
    }
}
