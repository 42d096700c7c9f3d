using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;

namespace HyperFunctions.Dns.Providers;

/// <summary>
/// Cloudflare API v4: <c>GET zones/{zone_id}/dns_records?type=&amp;name=</c> to find the record, <c>PATCH
/// zones/{zone_id}/dns_records/{id}</c> with only <c>content</c> so the TTL (and the proxied flag) stay as they are.
/// Authenticates with an API token as <c>Authorization: Bearer</c>, read from the environment variable the options name.
/// </summary>
public sealed class CloudflareDnsProvider(IHttpClientFactory httpClients, IOptions<DnsSwitchOptions> options, DnsEnvironment environment) : IDnsProvider
{
    public const string HttpClientName = "hf-dns-cloudflare";

    public string Name => DnsProviders.Cloudflare;

    public async Task<DnsRecord?> FindRecordAsync(string zone, string name, DnsRecordType type, CancellationToken cancellationToken)
    {
        const string operation = "record lookup";
        var token = Token();
        var fqdn = name.TrimEnd('.');
        using var request = new HttpRequestMessage(HttpMethod.Get,
            $"zones/{DnsProviderHttp.Escape(zone)}/dns_records?type={type}&name={DnsProviderHttp.Escape(fqdn)}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var (status, body) = await DnsProviderHttp.SendAsync(Http(), request, Name, operation, cancellationToken);
        if (status != HttpStatusCode.OK) throw Refused(operation, status, body, token);

        var list = DnsProviderHttp.Deserialize(body, ProviderJsonContext.Default.CloudflareListResponse, Name, operation);
        if (!list.Success) throw Refused(operation, status, body, token);
        var matches = (list.Result ?? [])
            .Where(r => string.Equals(r.Type, type.ToString(), StringComparison.OrdinalIgnoreCase)
                && string.Equals(r.Name.TrimEnd('.'), fqdn, StringComparison.OrdinalIgnoreCase))
            .ToList();
        return matches.Count switch
        {
            0 => null,
            1 => new DnsRecord(matches[0].Id, zone, fqdn, type, matches[0].Content, matches[0].Ttl),
            _ => throw new DnsProviderException($"{Name} {operation}: zone {zone} has {matches.Count} {type} records named {fqdn}; the switch needs exactly one."),
        };
    }

    public async Task<DnsRecord> UpdateRecordAsync(DnsRecord record, string newContent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        const string operation = "record update";
        var token = Token();
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"zones/{DnsProviderHttp.Escape(record.Zone)}/dns_records/{DnsProviderHttp.Escape(record.Id)}")
        {
            Content = JsonContent.Create(new CloudflarePatch(newContent), ProviderJsonContext.Default.CloudflarePatch),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var (status, body) = await DnsProviderHttp.SendAsync(Http(), request, Name, operation, cancellationToken);
        if (status != HttpStatusCode.OK) throw Refused(operation, status, body, token);
        var updated = DnsProviderHttp.Deserialize(body, ProviderJsonContext.Default.CloudflareRecordResponse, Name, operation);
        if (!updated.Success || updated.Result is null) throw Refused(operation, status, body, token);
        return record with { Content = updated.Result.Content, Ttl = updated.Result.Ttl };
    }

    private string Token() => environment.RequireToken(Name, options.Value.TokenVariable);

    private HttpClient Http() => httpClients.CreateClient(HttpClientName);

    private DnsProviderException Refused(string operation, HttpStatusCode status, string body, string token)
    {
        string? text = null;
        try
        {
            var parsed = System.Text.Json.JsonSerializer.Deserialize(body, ProviderJsonContext.Default.CloudflareRecordResponse);
            text = parsed?.Errors is { Count: > 0 } errors ? string.Join("; ", errors.Select(e => $"{e.Code} {e.Message}")) : null;
        }
        catch (System.Text.Json.JsonException)
        {
            text = body;
        }
        return DnsProviderHttp.Refused(Name, operation, status == HttpStatusCode.OK ? HttpStatusCode.BadGateway : status, text ?? body, token,
            "the environment variable " + options.Value.TokenVariable);
    }
}
