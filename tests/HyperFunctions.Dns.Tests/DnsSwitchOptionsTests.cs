using HyperFunctions.Dns;

namespace HyperFunctions.Dns.Tests;

/// <summary>Start-time validation of Failover:Dns: each problem named by its setting, all of them at once.</summary>
public sealed class DnsSwitchOptionsTests
{
    private static readonly DnsEnvironment WithToken = new(name => name == "HF_DNS_TOKEN" ? "a-token" : null);

    private static DnsSwitchOptions Valid(string provider = DnsProviders.Cloudflare) => new()
    {
        Provider = provider,
        Zone = provider == DnsProviders.Cloudflare ? "023e105f4ecef8ad9ca31a8372d0c353" : "example.com",
        RecordName = "trade.example.com",
        RecordType = "A",
        Sites = new Dictionary<string, string>(StringComparer.Ordinal) { ["primary"] = "203.0.113.10", ["backup"] = "198.51.100.20" },
        Nameservers = ["192.0.2.53", "192.0.2.54:5353", "[2001:db8::53]:53"],
        Azure = new AzureDnsOptions { SubscriptionId = "5f1c6b8e-2f4a-4c0e-9a7d-3b2e1f0c9d8a", ResourceGroup = "rg-dns" },
    };

    private static List<string> Errors(DnsSwitchOptions options, DnsEnvironment? environment = null) =>
        new DnsSwitchOptionsValidator(environment ?? WithToken).Errors(options).ToList();

    [Theory]
    [InlineData(DnsProviders.Cloudflare)]
    [InlineData(DnsProviders.DigitalOcean)]
    [InlineData(DnsProviders.Azure)]
    public void A_complete_configuration_is_valid(string provider) => Assert.Empty(Errors(Valid(provider)));

    [Fact]
    public void An_unknown_provider_is_named_with_the_known_ones()
    {
        var options = Valid();
        options.Provider = "route53";
        Assert.Equal(["Failover:Dns:Provider 'route53' is not a known DNS provider; use one of: cloudflare, digitalocean, azure."], Errors(options));
    }

    [Fact]
    public void Zone_record_and_type_are_required()
    {
        var options = Valid(DnsProviders.DigitalOcean);
        options.Zone = " ";
        options.RecordName = "";
        options.RecordType = "MX";
        var errors = Errors(options);
        Assert.Contains("Failover:Dns:Zone is required (the DigitalOcean domain, e.g. example.com).", errors);
        Assert.Contains("Failover:Dns:RecordName is required (the record's fully qualified name, e.g. trade.example.com).", errors);
        Assert.Contains("Failover:Dns:RecordType 'MX' is not supported; use A, AAAA or CNAME.", errors);
    }

    [Fact]
    public void Every_site_needs_content_valid_for_the_record_type()
    {
        var options = Valid();
        options.Sites["backup"] = "2001:db8::20";
        options.Sites["tertiary"] = "";
        var errors = Errors(options);
        Assert.Contains("Failover:Dns:Sites:backup '2001:db8::20' is not valid content for an A record (an IPv4 address).", errors);
        Assert.Contains("Failover:Dns:Sites:tertiary is empty.", errors);

        options.Sites.Clear();
        Assert.Contains("Failover:Dns:Sites needs the record's content for each site (e.g. \"primary\": \"203.0.113.10\").", Errors(options));
    }

    [Fact]
    public void Cname_sites_take_host_names()
    {
        var options = Valid();
        options.RecordType = "CNAME";
        options.Sites["primary"] = "primary.westeurope.cloudapp.azure.com";
        options.Sites["backup"] = "not a host";
        Assert.Equal(["Failover:Dns:Sites:backup 'not a host' is not valid content for a CNAME record (a host name)."], Errors(options));
    }

    [Fact]
    public void Nameservers_must_be_addresses_and_there_must_be_one()
    {
        var options = Valid();
        options.Nameservers = ["ns1.example.com", "192.0.2.1:0", "192.0.2.1:99999", "192.0.2.2"];
        var errors = Errors(options);
        Assert.Contains("Failover:Dns:Nameservers:0 'ns1.example.com' is not a nameserver address (ip, ip:port or [ipv6]:port).", errors);
        Assert.Contains("Failover:Dns:Nameservers:1 '192.0.2.1:0' is not a nameserver address (ip, ip:port or [ipv6]:port).", errors);
        Assert.Contains("Failover:Dns:Nameservers:2 '192.0.2.1:99999' is not a nameserver address (ip, ip:port or [ipv6]:port).", errors);
        Assert.Equal(3, errors.Count);

        options.Nameservers = [];
        Assert.Equal(["Failover:Dns:Nameservers needs at least one nameserver to verify the switch against (ip or ip:port)."], Errors(options));
    }

    [Fact]
    public void Timeouts_must_be_positive_and_the_poll_no_longer_than_the_timeout()
    {
        var options = Valid();
        options.VerifyTimeoutSeconds = 0;
        options.PollIntervalSeconds = -1;
        options.QueryTimeoutSeconds = 0;
        options.RequestTimeoutSeconds = 0;
        var errors = Errors(options);
        Assert.Contains("Failover:Dns:VerifyTimeoutSeconds must be positive (or unset: the TTL plus 120 seconds).", errors);
        Assert.Contains("Failover:Dns:PollIntervalSeconds must be positive (or unset: a tenth of the TTL, 2 to 30 seconds).", errors);
        Assert.Contains("Failover:Dns:QueryTimeoutSeconds must be positive.", errors);
        Assert.Contains("Failover:Dns:RequestTimeoutSeconds must be positive.", errors);

        options = Valid();
        options.VerifyTimeoutSeconds = 10;
        options.PollIntervalSeconds = 30;
        Assert.Equal(["Failover:Dns:PollIntervalSeconds (30) must not exceed VerifyTimeoutSeconds (10)."], Errors(options));
    }

    [Fact]
    public void Token_providers_need_a_variable_name_that_is_set()
    {
        var options = Valid(DnsProviders.DigitalOcean);
        options.TokenVariable = "HF DNS TOKEN";
        Assert.Equal(["Failover:Dns:TokenVariable 'HF DNS TOKEN' is not an environment variable name (letters, digits, underscores)."], Errors(options));

        options.TokenVariable = "HF_DNS_TOKEN";
        Assert.Equal(["Failover:Dns:TokenVariable names HF_DNS_TOKEN, which is not set: put the digitalocean API token in that environment variable."],
            Errors(options, new DnsEnvironment(_ => "  ")));
    }

    [Fact]
    public void Azure_needs_its_subscription_group_and_a_record_inside_the_zone()
    {
        var options = Valid(DnsProviders.Azure);
        options.Azure = new AzureDnsOptions { SubscriptionId = "my-subscription", ResourceGroup = "" };
        options.RecordName = "trade.example.org";
        var errors = Errors(options, new DnsEnvironment(_ => null)); // Azure takes no token variable
        Assert.Equal(
            [
                "Failover:Dns:RecordName 'trade.example.org' does not lie in the zone 'example.com'.",
                "Failover:Dns:Azure:SubscriptionId 'my-subscription' is not a subscription id (a GUID).",
                "Failover:Dns:Azure:ResourceGroup is required (the resource group of the DNS zone).",
            ], errors);
    }

    [Fact]
    public void BaseUrl_when_set_is_an_absolute_http_url()
    {
        var options = Valid();
        options.BaseUrl = "localhost:8080";
        Assert.Equal(["Failover:Dns:BaseUrl 'localhost:8080' is not an absolute http(s) URL."], Errors(options));
    }

    [Theory]
    [InlineData("192.0.2.53", "192.0.2.53:53")]
    [InlineData("192.0.2.53:5353", "192.0.2.53:5353")]
    [InlineData("2001:db8::53", "[2001:db8::53]:53")]
    [InlineData("[2001:db8::53]:5300", "[2001:db8::53]:5300")]
    [InlineData("[::1]", "[::1]:53")]
    public void Nameservers_parse_with_port_53_by_default(string text, string parsed)
    {
        Assert.True(DnsNameserver.TryParse(text, out var nameserver));
        Assert.Equal(parsed, nameserver!.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("ns1.example.com")]
    [InlineData("192.0.2")]
    [InlineData("192.0.2.1:0")]
    [InlineData("192.0.2.1:-5")]
    public void Anything_else_is_not_a_nameserver(string text) => Assert.False(DnsNameserver.TryParse(text, out _));

    [Theory]
    [InlineData(120, null, null, 240, 12)]   // TTL + 120 s; a tenth of the TTL
    [InlineData(1, null, null, 420, 30)]     // Cloudflare's "automatic" TTL counts as 300 s
    [InlineData(10, null, null, 130, 2)]     // poll no faster than every 2 s
    [InlineData(3600, null, null, 900, 30)]  // at most 15 minutes, polls at most 30 s apart
    [InlineData(3600, 60, 5, 60, 5)]         // configured values win
    [InlineData(300, 20, null, 20, 20)]      // the poll never exceeds the timeout
    public void Verification_timing_follows_the_ttl_unless_configured(int ttl, int? timeout, int? poll, int expectedTimeout, int expectedPoll)
    {
        var timing = DnsVerificationTiming.For(ttl, timeout, poll, 2);
        Assert.Equal(TimeSpan.FromSeconds(expectedTimeout), timing.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(expectedPoll), timing.PollInterval);
        Assert.Equal(TimeSpan.FromSeconds(2), timing.QueryTimeout);
    }

    [Theory]
    [InlineData(DnsRecordType.A, "203.0.113.10", "203.0.113.10", true)]
    [InlineData(DnsRecordType.AAAA, "2001:0db8:0:0::1", "2001:db8::1", true)]
    [InlineData(DnsRecordType.CNAME, "Primary.Example.com.", "primary.example.com", true)]
    [InlineData(DnsRecordType.A, "203.0.113.10", "203.0.113.11", false)]
    public void Content_compares_as_dns_does(DnsRecordType type, string left, string right, bool same) =>
        Assert.Equal(same, DnsContent.SameContent(type, left, right));
}
