using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Azure.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HyperFunctions.Dns.Providers;

/// <summary>
/// Azure DNS through the ARM record-set API (api-version 2018-05-01): <c>GET …/dnsZones/{zone}/{A|AAAA|CNAME}/{relativeName}</c>
/// to find the record set and its ETag, <c>PATCH</c> the same URL with <c>If-Match: {etag}</c> and only the records (and the TTL
/// it already had), so a concurrent change is refused (412) instead of overwritten. The bearer token comes from an Azure.Identity
/// <see cref="TokenCredential"/> (registered under <see cref="CredentialKey"/>; managed identity or DefaultAzureCredential in Azure)
/// for the scope <c>https://management.azure.com/.default</c>.
/// </summary>
public sealed class AzureDnsProvider(
    IHttpClientFactory httpClients,
    IOptions<DnsSwitchOptions> options,
    [FromKeyedServices(AzureDnsProvider.CredentialKey)] TokenCredential credential) : IDnsProvider
{
    public const string HttpClientName = "hf-dns-azure";
    public const string CredentialKey = "hf-dns-azure";
    public const string ApiVersion = "2018-05-01";
    public const string Scope = "https://management.azure.com/.default";
    private const string CredentialSource = "the Azure credential (managed identity or DefaultAzureCredential)";

    public string Name => DnsProviders.Azure;

    public async Task<DnsRecord?> FindRecordAsync(string zone, string name, DnsRecordType type, CancellationToken cancellationToken)
    {
        const string operation = "record set lookup";
        var token = await TokenAsync(operation, cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, RecordSetPath(zone, name, type));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var (status, body) = await DnsProviderHttp.SendAsync(Http(), request, Name, operation, cancellationToken);
        if (status == HttpStatusCode.NotFound) return null;
        if (status != HttpStatusCode.OK) throw Refused(operation, status, body, token);
        var set = DnsProviderHttp.Deserialize(body, ProviderJsonContext.Default.AzureRecordSet, Name, operation);
        var contents = Contents(set, type);
        if (contents.Count == 0) return null;
        return new DnsRecord(set.Id ?? RecordSetPath(zone, name, type), zone, name.TrimEnd('.'), type, string.Join(", ", contents),
            (int)(set.Properties?.Ttl ?? 0), set.ETag);
    }

    public async Task<DnsRecord> UpdateRecordAsync(DnsRecord record, string newContent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        const string operation = "record set update";
        var token = await TokenAsync(operation, cancellationToken);
        var properties = record.Type switch
        {
            DnsRecordType.A => new AzureRecordSetProperties { Ttl = record.Ttl, ARecords = [new AzureARecord(newContent)] },
            DnsRecordType.AAAA => new AzureRecordSetProperties { Ttl = record.Ttl, AaaaRecords = [new AzureAaaaRecord(newContent)] },
            _ => new AzureRecordSetProperties { Ttl = record.Ttl, CnameRecord = new AzureCnameRecord(newContent) },
        };
        using var request = new HttpRequestMessage(HttpMethod.Patch, RecordSetPath(record.Zone, record.Name, record.Type))
        {
            Content = JsonContent.Create(new AzureRecordSet { Properties = properties }, ProviderJsonContext.Default.AzureRecordSet),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (record.ETag is not null) request.Headers.TryAddWithoutValidation("If-Match", record.ETag);
        var (status, body) = await DnsProviderHttp.SendAsync(Http(), request, Name, operation, cancellationToken);
        if (status == HttpStatusCode.PreconditionFailed)
        {
            throw new DnsProviderException($"{Name} {operation}: the record set changed since it was read (ETag no longer matches); nothing was overwritten.")
            { StatusCode = (int)status };
        }
        if (status != HttpStatusCode.OK) throw Refused(operation, status, body, token);
        var set = DnsProviderHttp.Deserialize(body, ProviderJsonContext.Default.AzureRecordSet, Name, operation);
        return record with { Content = string.Join(", ", Contents(set, record.Type)), Ttl = (int)(set.Properties?.Ttl ?? record.Ttl), ETag = set.ETag };
    }

    private string RecordSetPath(string zone, string name, DnsRecordType type)
    {
        var azure = options.Value.Azure;
        var relative = DnsSwitchOptionsValidator.AzureRelativeName(name, zone)
            ?? throw new DnsProviderException($"{Name}: the record {name} does not lie in the zone {zone}.");
        return $"subscriptions/{DnsProviderHttp.Escape(azure.SubscriptionId)}/resourceGroups/{DnsProviderHttp.Escape(azure.ResourceGroup)}"
            + $"/providers/Microsoft.Network/dnsZones/{DnsProviderHttp.Escape(zone.TrimEnd('.'))}/{type}/{DnsProviderHttp.Escape(relative)}?api-version={ApiVersion}";
    }

    private static List<string> Contents(AzureRecordSet set, DnsRecordType type) => type switch
    {
        DnsRecordType.A => (set.Properties?.ARecords ?? []).Select(r => r.Ipv4Address).ToList(),
        DnsRecordType.AAAA => (set.Properties?.AaaaRecords ?? []).Select(r => r.Ipv6Address).ToList(),
        _ => set.Properties?.CnameRecord is { } cname ? [cname.Cname] : [],
    };

    private async Task<string> TokenAsync(string operation, CancellationToken cancellationToken)
    {
        try
        {
            var token = await credential.GetTokenAsync(new TokenRequestContext([Scope]), cancellationToken);
            return token.Token;
        }
        catch (Exception ex) when (ex is Azure.Identity.AuthenticationFailedException or Azure.Identity.CredentialUnavailableException)
        {
            // The credential's own message explains which sources it tried; it holds no token.
            throw new DnsProviderException($"{Name} {operation}: no token from {CredentialSource}: {DnsProviderHttp.Shorten(ex.Message, null)}", ex)
            { IsAuthenticationFailure = true };
        }
    }

    private HttpClient Http() => httpClients.CreateClient(HttpClientName);

    private DnsProviderException Refused(string operation, HttpStatusCode status, string body, string token)
    {
        string? text;
        try
        {
            var parsed = System.Text.Json.JsonSerializer.Deserialize(body, ProviderJsonContext.Default.AzureErrorResponse);
            text = parsed?.Error is { } error ? $"{error.Code}: {error.Message}" : body;
        }
        catch (System.Text.Json.JsonException)
        {
            text = body;
        }
        return DnsProviderHttp.Refused(Name, operation, status, text, token, CredentialSource);
    }
}
