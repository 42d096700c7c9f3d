namespace HyperFunctions.Dns;

/// <summary>
/// The DNS switch of a failover, bound from the section <c>Failover:Dns</c> (docs/dns-switch.md has the JSON schema).
/// Validated at start by <see cref="DnsSwitchOptionsValidator"/>.
/// </summary>
public sealed class DnsSwitchOptions
{
    public const string SectionName = "Failover:Dns";

    /// <summary>The provider: <c>cloudflare</c>, <c>digitalocean</c> or <c>azure</c>.</summary>
    public string Provider { get; set; } = "";

    /// <summary>
    /// The provider API's base URL; empty for the real API (<see cref="DnsProviders.DefaultBaseUrl"/>). Set it to point at a
    /// local stand-in in tests.
    /// </summary>
    public string? BaseUrl { get; set; }

    /// <summary>
    /// The environment variable that holds the API token (Cloudflare and DigitalOcean). The token is read from the environment
    /// at each switch, is never logged and never appears in an error or report. Unused for Azure, which takes an Azure.Identity credential.
    /// </summary>
    public string TokenVariable { get; set; } = "HF_DNS_TOKEN";

    /// <summary>The zone: Cloudflare's zone id, DigitalOcean's domain name, or the Azure DNS zone name.</summary>
    public string Zone { get; set; } = "";

    /// <summary>The record's fully qualified name, e.g. <c>trade.example.com</c> (for Azure it must lie in <see cref="Zone"/>).</summary>
    public string RecordName { get; set; } = "";

    /// <summary><c>A</c>, <c>AAAA</c> or <c>CNAME</c>.</summary>
    public string RecordType { get; set; } = "A";

    /// <summary>The record's content for each site, by site name (e.g. <c>primary</c> → <c>203.0.113.10</c>).</summary>
    public Dictionary<string, string> Sites { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The nameservers the verification asks directly, each <c>ip</c> or <c>ip:port</c> (IPv6 as <c>[ip]:port</c>); port 53 by default.</summary>
    public List<string> Nameservers { get; set; } = [];

    /// <summary>How long the verification waits for every nameserver to answer the new content. Unset: the record's TTL plus 120 seconds, at most 900.</summary>
    public int? VerifyTimeoutSeconds { get; set; }

    /// <summary>The pause between two rounds of queries. Unset: a tenth of the TTL, between 2 and 30 seconds.</summary>
    public int? PollIntervalSeconds { get; set; }

    /// <summary>How long one DNS query waits for its answer.</summary>
    public int QueryTimeoutSeconds { get; set; } = 2;

    /// <summary>How long one provider API request may take (each attempt; transient failures are retried twice).</summary>
    public int RequestTimeoutSeconds { get; set; } = 15;

    /// <summary>Azure DNS only: where the zone lives.</summary>
    public AzureDnsOptions Azure { get; set; } = new();
}

public sealed class AzureDnsOptions
{
    /// <summary>The subscription id (a GUID) of the DNS zone.</summary>
    public string SubscriptionId { get; set; } = "";

    /// <summary>The resource group of the DNS zone.</summary>
    public string ResourceGroup { get; set; } = "";
}

/// <summary>The provider names and their public API addresses.</summary>
public static class DnsProviders
{
    public const string Cloudflare = "cloudflare";
    public const string DigitalOcean = "digitalocean";
    public const string Azure = "azure";

    public static IReadOnlyList<string> All { get; } = [Cloudflare, DigitalOcean, Azure];

    /// <summary>Whether the provider authenticates with a bearer token from <see cref="DnsSwitchOptions.TokenVariable"/>.</summary>
    public static bool UsesTokenVariable(string provider) => provider is Cloudflare or DigitalOcean;

    public static Uri DefaultBaseUrl(string provider) => provider switch
    {
        Cloudflare => new Uri("https://api.cloudflare.com/client/v4/"),
        DigitalOcean => new Uri("https://api.digitalocean.com/"),
        Azure => new Uri("https://management.azure.com/"),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown DNS provider."),
    };

    /// <summary>The base URL the provider's client uses: the configured one (with a trailing slash) or the default.</summary>
    public static Uri ResolveBaseUrl(DnsSwitchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.BaseUrl)) return DefaultBaseUrl(options.Provider);
        var text = options.BaseUrl.Trim();
        return new Uri(text.EndsWith('/') ? text : text + "/");
    }
}
