using System.Text.Json.Serialization;

namespace HyperFunctions.Dns.Providers;

// The wire shapes of the three APIs, only the fields this library reads or writes (docs/dns-switch.md cites the pages).

internal sealed record CloudflareError([property: JsonPropertyName("code")] int Code, [property: JsonPropertyName("message")] string? Message);

internal sealed record CloudflareRecord(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("content")] string Content,
    [property: JsonPropertyName("ttl")] int Ttl);

internal sealed record CloudflareListResponse(
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("errors")] IReadOnlyList<CloudflareError>? Errors,
    [property: JsonPropertyName("result")] IReadOnlyList<CloudflareRecord>? Result);

internal sealed record CloudflareRecordResponse(
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("errors")] IReadOnlyList<CloudflareError>? Errors,
    [property: JsonPropertyName("result")] CloudflareRecord? Result);

internal sealed record CloudflarePatch([property: JsonPropertyName("content")] string Content);

internal sealed record DigitalOceanRecord(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("data")] string Data,
    [property: JsonPropertyName("ttl")] int Ttl);

internal sealed record DigitalOceanListResponse([property: JsonPropertyName("domain_records")] IReadOnlyList<DigitalOceanRecord>? DomainRecords);

internal sealed record DigitalOceanRecordResponse([property: JsonPropertyName("domain_record")] DigitalOceanRecord? DomainRecord);

internal sealed record DigitalOceanUpdate(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("data")] string Data,
    [property: JsonPropertyName("ttl")] int Ttl);

internal sealed record DigitalOceanError([property: JsonPropertyName("id")] string? Id, [property: JsonPropertyName("message")] string? Message);

internal sealed record AzureARecord([property: JsonPropertyName("ipv4Address")] string Ipv4Address);

internal sealed record AzureAaaaRecord([property: JsonPropertyName("ipv6Address")] string Ipv6Address);

internal sealed record AzureCnameRecord([property: JsonPropertyName("cname")] string Cname);

internal sealed record AzureRecordSetProperties
{
    [JsonPropertyName("TTL")] public long? Ttl { get; init; }
    [JsonPropertyName("fqdn")] public string? Fqdn { get; init; }
    [JsonPropertyName("ARecords")] public IReadOnlyList<AzureARecord>? ARecords { get; init; }
    [JsonPropertyName("AAAARecords")] public IReadOnlyList<AzureAaaaRecord>? AaaaRecords { get; init; }
    [JsonPropertyName("CNAMERecord")] public AzureCnameRecord? CnameRecord { get; init; }
}

internal sealed record AzureRecordSet
{
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("etag")] public string? ETag { get; init; }
    [JsonPropertyName("properties")] public AzureRecordSetProperties? Properties { get; init; }
}

internal sealed record AzureErrorBody([property: JsonPropertyName("code")] string? Code, [property: JsonPropertyName("message")] string? Message);

internal sealed record AzureErrorResponse([property: JsonPropertyName("error")] AzureErrorBody? Error);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CloudflareListResponse))]
[JsonSerializable(typeof(CloudflareRecordResponse))]
[JsonSerializable(typeof(CloudflarePatch))]
[JsonSerializable(typeof(DigitalOceanListResponse))]
[JsonSerializable(typeof(DigitalOceanRecordResponse))]
[JsonSerializable(typeof(DigitalOceanUpdate))]
[JsonSerializable(typeof(DigitalOceanError))]
[JsonSerializable(typeof(AzureRecordSet))]
[JsonSerializable(typeof(AzureErrorResponse))]
internal sealed partial class ProviderJsonContext : JsonSerializerContext;
