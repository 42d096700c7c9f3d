using Azure.Core;
using HyperFunctions.Dns;
using HyperFunctions.Dns.Providers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace HyperFunctions.Dns.Tests.Support;

/// <summary>
/// One test's world: a zone with the record <c>trade.example.test</c> (A, TTL 120, the primary's address), the provider
/// stand-in over it, three local nameservers answering from it, and a service provider built by <c>AddDnsSwitch</c> for the
/// chosen provider, pointed at the stand-in, with a fake clock, its own environment variables, a stand-in Azure credential,
/// and every log record captured down to Trace.
/// </summary>
public sealed class DnsHarness : IAsyncDisposable
{
    public const string ZoneName = "example.test";
    public const string RecordName = "trade.example.test";
    public const string PrimaryAddress = "203.0.113.10";
    public const string BackupAddress = "198.51.100.20";
    public const int Ttl = 120;
    public const string TokenVariable = "HF_TEST_DNS_TOKEN";

    private ServiceProvider? _services;

    private DnsHarness(StandInZone zone, ProviderStandIn api, LocalDnsServer[] nameservers)
    {
        Zone = zone;
        Api = api;
        Nameservers = nameservers;
    }

    public StandInZone Zone { get; }

    public ProviderStandIn Api { get; }

    public IReadOnlyList<LocalDnsServer> Nameservers { get; }

    public SignallingTimeProvider Time { get; } = new();

    /// <summary>The process environment as the library sees it in this test.</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public StandInCredential AzureCredential { get; } = new();

    public ServiceProvider Services => _services ?? throw new InvalidOperationException("Call Build first.");

    public FakeLogCollector Logs => Services.GetFakeLogCollector();

    public static async Task<DnsHarness> StartAsync(int nameservers = 3)
    {
        var zone = new StandInZone(ZoneName);
        zone.Add(RecordName, DnsRecordType.A, Ttl, PrimaryAddress);
        var api = await ProviderStandIn.StartAsync(zone);
        var servers = Enumerable.Range(0, nameservers).Select(_ => new LocalDnsServer(zone)).ToArray();
        var harness = new DnsHarness(zone, api, servers);
        harness.Environment[TokenVariable] = api.ExpectedToken;
        harness.AzureCredential.Token = api.ExpectedToken;
        return harness;
    }

    /// <summary>Options for <paramref name="provider"/> against the stand-in and the local nameservers; <paramref name="adjust"/> may change them.</summary>
    public DnsSwitchOptions Options(string provider, Action<DnsSwitchOptions>? adjust = null)
    {
        var options = new DnsSwitchOptions
        {
            Provider = provider,
            BaseUrl = provider switch
            {
                DnsProviders.Cloudflare => Api.CloudflareBaseUrl,
                DnsProviders.DigitalOcean => Api.DigitalOceanBaseUrl,
                _ => Api.AzureBaseUrl,
            },
            TokenVariable = TokenVariable,
            Zone = provider == DnsProviders.Cloudflare ? ProviderStandIn.CloudflareZoneId : ZoneName,
            RecordName = RecordName,
            RecordType = "A",
            Sites = new Dictionary<string, string>(StringComparer.Ordinal) { ["primary"] = PrimaryAddress, ["backup"] = BackupAddress },
            Nameservers = Nameservers.Select(n => n.Address).ToList(),
            QueryTimeoutSeconds = 5,
            RequestTimeoutSeconds = 300, // longer than any test's poll interval: see SignallingTimeProvider.SignalUpTo
            Azure = new AzureDnsOptions { SubscriptionId = ProviderStandIn.SubscriptionId, ResourceGroup = ProviderStandIn.ResourceGroup },
        };
        adjust?.Invoke(options);
        return options;
    }

    public DnsHarness Build(string provider, Action<DnsSwitchOptions>? adjust = null)
    {
        var options = Options(provider, adjust);
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton(new DnsEnvironment(name => Environment.GetValueOrDefault(name)));
        services.AddKeyedSingleton<TokenCredential>(AzureDnsProvider.CredentialKey, AzureCredential);
        services.AddDnsSwitch(o => Copy(options, o));
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return this;
    }

    public DnsSwitcher Switcher => Services.GetRequiredService<DnsSwitcher>();

    public MetricCollector<long> SwitchCounter() =>
        new(Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), DnsMetrics.MeterName, "hf.dns.switch");

    public MetricCollector<double> PropagationHistogram() =>
        new(Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), DnsMetrics.MeterName, "hf.dns.propagation");

    /// <summary>Every text the logs hold: messages, structured values, exceptions.</summary>
    public IEnumerable<string> AllLogText() => Logs.GetSnapshot().SelectMany(r =>
        new[] { r.Message, r.Exception?.ToString() ?? "" }.Concat((r.StructuredState ?? []).Select(kv => kv.Value ?? "")));

    private static void Copy(DnsSwitchOptions from, DnsSwitchOptions to)
    {
        to.Provider = from.Provider;
        to.BaseUrl = from.BaseUrl;
        to.TokenVariable = from.TokenVariable;
        to.Zone = from.Zone;
        to.RecordName = from.RecordName;
        to.RecordType = from.RecordType;
        to.Sites = from.Sites;
        to.Nameservers = from.Nameservers;
        to.VerifyTimeoutSeconds = from.VerifyTimeoutSeconds;
        to.PollIntervalSeconds = from.PollIntervalSeconds;
        to.QueryTimeoutSeconds = from.QueryTimeoutSeconds;
        to.RequestTimeoutSeconds = from.RequestTimeoutSeconds;
        to.Azure = from.Azure;
    }

    public async ValueTask DisposeAsync()
    {
        if (_services is not null) await _services.DisposeAsync();
        foreach (var server in Nameservers) await server.DisposeAsync();
        await Api.DisposeAsync();
    }
}

/// <summary>A stand-in Azure.Identity credential: hands out <see cref="Token"/> and records the scopes it was asked for.</summary>
public sealed class StandInCredential : TokenCredential
{
    public string Token { get; set; } = "";

    public System.Collections.Concurrent.ConcurrentQueue<string> Scopes { get; } = new();

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        foreach (var scope in requestContext.Scopes) Scopes.Enqueue(scope);
        return new AccessToken(Token, DateTimeOffset.MaxValue);
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
