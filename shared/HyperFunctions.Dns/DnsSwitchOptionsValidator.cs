using Microsoft.Extensions.Options;

namespace HyperFunctions.Dns;

/// <summary>
/// Start-time validation of <see cref="DnsSwitchOptions"/>: every problem at once, each naming its setting under
/// <c>Failover:Dns</c>. The token's value is never part of a message; a missing token is reported by its variable name.
/// </summary>
public sealed class DnsSwitchOptionsValidator(DnsEnvironment environment) : IValidateOptions<DnsSwitchOptions>
{
    private const string Prefix = DnsSwitchOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, DnsSwitchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = Errors(options).ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public IEnumerable<string> Errors(DnsSwitchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var provider = options.Provider?.Trim() ?? "";
        var knownProvider = DnsProviders.All.Contains(provider, StringComparer.Ordinal);
        if (!knownProvider)
            yield return $"{Prefix}Provider '{provider}' is not a known DNS provider; use one of: {string.Join(", ", DnsProviders.All)}.";

        if (!string.IsNullOrWhiteSpace(options.BaseUrl)
            && (!Uri.TryCreate(options.BaseUrl.Trim(), UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https")))
            yield return $"{Prefix}BaseUrl '{options.BaseUrl}' is not an absolute http(s) URL.";

        if (knownProvider && DnsProviders.UsesTokenVariable(provider))
        {
            if (!DnsEnvironment.IsVariableName(options.TokenVariable))
                yield return $"{Prefix}TokenVariable '{options.TokenVariable}' is not an environment variable name (letters, digits, underscores).";
            else if (environment.Read(options.TokenVariable) is null)
                yield return $"{Prefix}TokenVariable names {options.TokenVariable}, which is not set: put the {provider} API token in that environment variable.";
        }

        if (string.IsNullOrWhiteSpace(options.Zone))
            yield return $"{Prefix}Zone is required ({ZoneMeaning(provider)}).";

        var typeKnown = DnsContent.TryParseType(options.RecordType, out var type);
        if (!typeKnown)
            yield return $"{Prefix}RecordType '{options.RecordType}' is not supported; use A, AAAA or CNAME.";

        if (string.IsNullOrWhiteSpace(options.RecordName))
            yield return $"{Prefix}RecordName is required (the record's fully qualified name, e.g. trade.example.com).";
        else if (!DnsContent.IsHostName(options.RecordName))
            yield return $"{Prefix}RecordName '{options.RecordName}' is not a DNS name.";
        else if (provider == DnsProviders.Azure && !string.IsNullOrWhiteSpace(options.Zone) && AzureRelativeName(options.RecordName, options.Zone) is null)
            yield return $"{Prefix}RecordName '{options.RecordName}' does not lie in the zone '{options.Zone}'.";

        if (options.Sites is null || options.Sites.Count == 0)
            yield return $"{Prefix}Sites needs the record's content for each site (e.g. \"primary\": \"203.0.113.10\").";
        else
        {
            foreach (var (site, content) in options.Sites)
            {
                if (string.IsNullOrWhiteSpace(content))
                    yield return $"{Prefix}Sites:{site} is empty.";
                else if (typeKnown && !DnsContent.IsValid(type, content))
                    yield return $"{Prefix}Sites:{site} '{content}' is not valid content for {(type == DnsRecordType.CNAME ? "a" : "an")} {type} record ({ContentMeaning(type)}).";
            }
        }

        if (options.Nameservers is null || options.Nameservers.Count == 0)
            yield return $"{Prefix}Nameservers needs at least one nameserver to verify the switch against (ip or ip:port).";
        else
        {
            for (var i = 0; i < options.Nameservers.Count; i++)
            {
                if (!DnsNameserver.TryParse(options.Nameservers[i], out _))
                    yield return $"{Prefix}Nameservers:{i} '{options.Nameservers[i]}' is not a nameserver address (ip, ip:port or [ipv6]:port).";
            }
        }

        if (options.VerifyTimeoutSeconds is <= 0)
            yield return $"{Prefix}VerifyTimeoutSeconds must be positive (or unset: the TTL plus 120 seconds).";
        if (options.PollIntervalSeconds is <= 0)
            yield return $"{Prefix}PollIntervalSeconds must be positive (or unset: a tenth of the TTL, 2 to 30 seconds).";
        if (options is { VerifyTimeoutSeconds: > 0, PollIntervalSeconds: > 0 } && options.PollIntervalSeconds > options.VerifyTimeoutSeconds)
            yield return $"{Prefix}PollIntervalSeconds ({options.PollIntervalSeconds}) must not exceed VerifyTimeoutSeconds ({options.VerifyTimeoutSeconds}).";
        if (options.QueryTimeoutSeconds <= 0)
            yield return $"{Prefix}QueryTimeoutSeconds must be positive.";
        if (options.RequestTimeoutSeconds <= 0)
            yield return $"{Prefix}RequestTimeoutSeconds must be positive.";

        if (provider == DnsProviders.Azure)
        {
            if (!Guid.TryParse(options.Azure?.SubscriptionId, out _))
                yield return $"{Prefix}Azure:SubscriptionId '{options.Azure?.SubscriptionId}' is not a subscription id (a GUID).";
            if (string.IsNullOrWhiteSpace(options.Azure?.ResourceGroup))
                yield return $"{Prefix}Azure:ResourceGroup is required (the resource group of the DNS zone).";
        }
    }

    /// <summary>The record set name Azure uses: the part of <paramref name="recordName"/> before the zone, or <c>@</c> for the apex; null when outside the zone.</summary>
    public static string? AzureRelativeName(string recordName, string zone)
    {
        ArgumentNullException.ThrowIfNull(recordName);
        ArgumentNullException.ThrowIfNull(zone);
        var name = recordName.Trim().TrimEnd('.');
        var z = zone.Trim().TrimEnd('.');
        if (string.Equals(name, z, StringComparison.OrdinalIgnoreCase)) return "@";
        return name.EndsWith("." + z, StringComparison.OrdinalIgnoreCase) ? name[..^(z.Length + 1)] : null;
    }

    private static string ZoneMeaning(string provider) => provider switch
    {
        DnsProviders.Cloudflare => "Cloudflare's zone id",
        DnsProviders.DigitalOcean => "the DigitalOcean domain, e.g. example.com",
        DnsProviders.Azure => "the Azure DNS zone name, e.g. example.com",
        _ => "the provider's zone",
    };

    private static string ContentMeaning(DnsRecordType type) => type switch
    {
        DnsRecordType.A => "an IPv4 address",
        DnsRecordType.AAAA => "an IPv6 address",
        _ => "a host name",
    };
}
