using HyperFunctions.Dns;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HyperFunctions.Dns.Tests;

/// <summary>The library as a host takes it: bound from the <c>Failover:Dns</c> section of the settings JSON and validated at start.</summary>
public sealed class DnsRegistrationTests
{
    private const string Settings = """
        {
          "Failover": {
            "Dns": {
              "Provider": "azure",
              "Zone": "example.com",
              "RecordName": "trade.example.com",
              "RecordType": "AAAA",
              "Sites": { "primary": "2001:db8::10", "backup": "2001:db8::20" },
              "Nameservers": ["192.0.2.53", "[2001:db8::53]:5353"],
              "VerifyTimeoutSeconds": 300,
              "Azure": { "SubscriptionId": "5f1c6b8e-2f4a-4c0e-9a7d-3b2e1f0c9d8a", "ResourceGroup": "rg-dns" }
            }
          }
        }
        """;

    private static IConfiguration Configuration(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build();

    [Fact]
    public void The_failover_dns_section_binds_every_setting()
    {
        var services = new ServiceCollection();
        services.AddDnsSwitch(Configuration(Settings).GetSection(DnsSwitchOptions.SectionName));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<DnsSwitchOptions>>().Value;

        Assert.Equal("azure", options.Provider);
        Assert.Equal("AAAA", options.RecordType);
        Assert.Equal("2001:db8::20", options.Sites["backup"]);
        Assert.Equal(["192.0.2.53", "[2001:db8::53]:5353"], options.Nameservers);
        Assert.Equal(300, options.VerifyTimeoutSeconds);
        Assert.Null(options.PollIntervalSeconds);
        Assert.Equal("rg-dns", options.Azure.ResourceGroup);
        Assert.Equal("azure", provider.GetRequiredService<IDnsProvider>().Name);
    }

    [Fact]
    public async Task A_host_with_a_bad_section_does_not_start_and_names_every_problem()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(
            Settings.Replace("\"azure\"", "\"route53\"", StringComparison.Ordinal).Replace("2001:db8::20", "198.51.100.20", StringComparison.Ordinal))));
        builder.Services.AddDnsSwitch(builder.Configuration.GetSection(DnsSwitchOptions.SectionName));
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Failover:Dns:Provider 'route53' is not a known DNS provider; use one of: cloudflare, digitalocean, azure.", error.Failures);
        Assert.Contains("Failover:Dns:Sites:backup '198.51.100.20' is not valid content for an AAAA record (an IPv6 address).", error.Failures);
    }
}
