using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;

namespace HyperFunctions.Dns.Providers;

/// <summary>
/// DigitalOcean API v2: <c>GET v2/domains/{domain}/records?type=&amp;name=</c> (name fully qualified) to find the record,
/// <c>PUT v2/domains/{domain}/records/{id}</c> with its type, name, new data and its own TTL, so the TTL stays.
/// Authenticates with a personal access token as <c>Authorization: Bearer</c>, read from the environment variable the options name.
/// </summary>
public sealed class DigitalOceanDnsProvider(IHttpClientFactory httpClients, IOptions<DnsSwitchOptions> options, DnsEnvironment environment) : IDnsProvider
{
    public const string HttpClientName = "hf-dns-digitalocean";

    public string Name => DnsProviders.DigitalOcean;

    public async Task<DnsRecord?> FindRecordAsync(string zone, string name, DnsRecordType type, CancellationToken cancellationToken)
    {
        const string operation = "record lookup";
        var token = Token();
        var fqdn = name.TrimEnd('.');
        using var request = new HttpRequestMessage(HttpMethod.Get,
            $"v2/domains/{DnsProviderHttp.Escape(zone)}/records?type={type}&name={DnsProviderHttp.Escape(fqdn)}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var (status, body) = await DnsProviderHttp.SendAsync(Http(), request, Name, operation, cancellationToken);
        if (status != HttpStatusCode.OK) throw Refused(operation, status, body, token);

        var list = DnsProviderHttp.Deserialize(body, ProviderJsonContext.Default.DigitalOceanListResponse, Name, operation);
        // DigitalOcean answers the name relative to the domain ("trade", or "@" for the apex).
        var relative = RelativeName(fqdn, zone);
        var matches = (list.DomainRecords ?? [])
            .Where(r => string.Equals(r.Type, type.ToString(), StringComparison.OrdinalIgnoreCase)
                && (string.Equals(r.Name, relative, StringComparison.OrdinalIgnoreCase) || string.Equals(r.Name.TrimEnd('.'), fqdn, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        return matches.Count switch
        {
            0 => null,
            1 => new DnsRecord(matches[0].Id.ToString(CultureInfo.InvariantCulture), zone, fqdn, type, matches[0].Data, matches[0].Ttl),
            _ => throw new DnsProviderException($"{Name} {operation}: domain {zone} has {matches.Count} {type} records named {fqdn}; the switch needs exactly one."),
        };
    }

    public async Task<DnsRecord> UpdateRecordAsync(DnsRecord record, string newContent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        const string operation = "record update";
        var token = Token();
        // A CNAME's data is a fully qualified name with its trailing dot.
        var data = record.Type == DnsRecordType.CNAME && !newContent.EndsWith('.') ? newContent + "." : newContent;
        var update = new DigitalOceanUpdate(record.Type.ToString(), RelativeName(record.Name, record.Zone), data, record.Ttl);
        using var request = new HttpRequestMessage(HttpMethod.Put, $"v2/domains/{DnsProviderHttp.Escape(record.Zone)}/records/{DnsProviderHttp.Escape(record.Id)}")
        {
            Content = JsonContent.Create(update, ProviderJsonContext.Default.DigitalOceanUpdate),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var (status, body) = await DnsProviderHttp.SendAsync(Http(), request, Name, operation, cancellationToken);
        if (status != HttpStatusCode.OK) throw Refused(operation, status, body, token);
        var updated = DnsProviderHttp.Deserialize(body, ProviderJsonContext.Default.DigitalOceanRecordResponse, Name, operation).DomainRecord
            ?? throw new DnsProviderException($"{Name} {operation}: the answer has no domain_record.");
        return record with { Content = updated.Data, Ttl = updated.Ttl };
    }

    /// <summary>The name relative to the domain as DigitalOcean writes it: <c>@</c> for the apex.</summary>
    public static string RelativeName(string fqdn, string domain) =>
        DnsSwitchOptionsValidator.AzureRelativeName(fqdn, domain) ?? fqdn.TrimEnd('.');

    private string Token() => environment.RequireToken(Name, options.Value.TokenVariable);

    private HttpClient Http() => httpClients.CreateClient(HttpClientName);

    private DnsProviderException Refused(string operation, HttpStatusCode status, string body, string token)
    {
        string? text;
        try
        {
            var parsed = System.Text.Json.JsonSerializer.Deserialize(body, ProviderJsonContext.Default.DigitalOceanError);
            text = parsed?.Message is null ? body : $"{parsed.Id} {parsed.Message}";
        }
        catch (System.Text.Json.JsonException)
        {
            text = body;
        }
        return DnsProviderHttp.Refused(Name, operation, status, text, token, "the environment variable " + options.Value.TokenVariable);
    }
}
