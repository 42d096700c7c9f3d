using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using HyperFunctions.Dns;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HyperFunctions.TestSupport.Dns;

/// <summary>
/// A local stand-in for the three providers' APIs on a real Kestrel listener (127.0.0.1, free port), keeping its records
/// in a <see cref="StandInZone"/>. It checks what the real APIs document: the bearer token, Azure's api-version and If-Match
/// ETag, the JSON bodies' fields; and it answers in each API's envelope. Every request is recorded (method, path and
/// query, body) so a test can assert what was sent. Routes:
/// Cloudflare <c>/client/v4/zones/{zoneId}/dns_records</c>, DigitalOcean <c>/v2/domains/{domain}/records</c>,
/// Azure <c>/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/dnsZones/{zone}/{type}/{name}</c>.
/// </summary>
public sealed class ProviderStandIn : IAsyncDisposable
{
    public const string CloudflareZoneId = "023e105f4ecef8ad9ca31a8372d0c353";
    public const string SubscriptionId = "5f1c6b8e-2f4a-4c0e-9a7d-3b2e1f0c9d8a";
    public const string ResourceGroup = "rg-hyperfunctions-dns";

    private readonly WebApplication _app;

    private ProviderStandIn(WebApplication app, StandInZone zone, Uri baseUrl)
    {
        _app = app;
        Zone = zone;
        BaseUrl = baseUrl;
    }

    public StandInZone Zone { get; }

    public Uri BaseUrl { get; }

    /// <summary>The token each API accepts (Cloudflare and DigitalOcean from the environment; Azure from the credential).</summary>
    public string ExpectedToken { get; set; } = "stand-in-token-7d1f0b9c4e";

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    private int _failuresToServe;

    /// <summary>The next <paramref name="count"/> requests get 503 (an API having a bad moment), whatever they ask.</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref _failuresToServe, count);

    public string CloudflareBaseUrl => new Uri(BaseUrl, "client/v4").ToString();

    public string DigitalOceanBaseUrl => BaseUrl.ToString();

    public string AzureBaseUrl => BaseUrl.ToString();

    public static async Task<ProviderStandIn> StartAsync(StandInZone zone)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        ProviderStandIn? standIn = null;
        app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            using var reader = new StreamReader(context.Request.Body, leaveOpen: true);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            context.Request.Body.Position = 0;
            standIn!.Requests.Enqueue(new RecordedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString,
                context.Request.Headers.Authorization.ToString(), context.Request.Headers.IfMatch.ToString(), body));
            if (Interlocked.Decrement(ref standIn._failuresToServe) >= 0)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                await context.Response.WriteAsync("upstream busy", context.RequestAborted);
                return;
            }
            Interlocked.Exchange(ref standIn._failuresToServe, 0);
            await next(context);
        });
        MapCloudflare(app, () => standIn!);
        MapDigitalOcean(app, () => standIn!);
        MapAzure(app, () => standIn!);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        standIn = new ProviderStandIn(app, zone, new Uri(address.TrimEnd('/') + "/"));
        return standIn;
    }

    private bool Authorized(HttpContext context) =>
        string.Equals(context.Request.Headers.Authorization.ToString(), "Bearer " + ExpectedToken, StringComparison.Ordinal);

    // ---- Cloudflare API v4 ----

    private static void MapCloudflare(WebApplication app, Func<ProviderStandIn> self)
    {
        app.MapGet("/client/v4/zones/{zoneId}/dns_records", (HttpContext context, string zoneId, string? type, string? name) =>
        {
            var s = self();
            if (!s.Authorized(context)) return CloudflareError(403, 10000, "Authentication error");
            if (zoneId != CloudflareZoneId) return CloudflareError(404, 7003, "Could not route to /zones/" + zoneId + "/dns_records, perhaps your object identifier is invalid?");
            var records = s.Zone.All()
                .Where(r => type is null || r.Type.ToString() == type)
                .Where(r => name is null || r.Name == StandInZone.Key(name))
                .SelectMany(r => r.Contents.Select(c => CloudflareRecord(r, c)))
                .ToArray();
            return Results.Json(new JsonObject
            {
                ["success"] = true, ["errors"] = new JsonArray(), ["messages"] = new JsonArray(),
                ["result"] = new JsonArray(records),
                ["result_info"] = new JsonObject { ["page"] = 1, ["per_page"] = 100, ["count"] = records.Length, ["total_count"] = records.Length },
            });
        });
        app.MapMethods("/client/v4/zones/{zoneId}/dns_records/{id}", ["PATCH"], async (HttpContext context, string zoneId, string id) =>
        {
            var s = self();
            if (!s.Authorized(context)) return CloudflareError(403, 10000, "Authentication error");
            if (context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true) return CloudflareError(415, 9000, "Content-Type must be application/json");
            var record = zoneId == CloudflareZoneId ? s.Zone.FindById(id) : null;
            if (record is null) return CloudflareError(404, 81044, "Record does not exist.");
            var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject;
            var allowed = new[] { "content", "ttl", "proxied", "comment", "name", "type", "tags" };
            if (body is null || body.Any(p => !allowed.Contains(p.Key))) return CloudflareError(400, 9207, "Request body is invalid.");
            var content = body["content"]?.GetValue<string>();
            if (content is null || !DnsContent.IsValid(record.Type, content)) return CloudflareError(400, 9005, "Content for " + record.Type + " record is invalid.");
            var updated = s.Zone.Update(record, [content], body["ttl"]?.GetValue<int>());
            return Results.Json(new JsonObject
            {
                ["success"] = true, ["errors"] = new JsonArray(), ["messages"] = new JsonArray(),
                ["result"] = CloudflareRecord(updated, content),
            });
        });
    }

    private static JsonObject CloudflareRecord(StandInRecord r, string content) => new()
    {
        ["id"] = r.Id, ["zone_id"] = CloudflareZoneId, ["type"] = r.Type.ToString(), ["name"] = r.Name,
        ["content"] = content, ["proxiable"] = true, ["proxied"] = false, ["ttl"] = r.Ttl, ["locked"] = false,
    };

    private static IResult CloudflareError(int status, int code, string message) => Results.Json(new JsonObject
    {
        ["success"] = false, ["errors"] = new JsonArray(new JsonObject { ["code"] = code, ["message"] = message }),
        ["messages"] = new JsonArray(), ["result"] = null,
    }, statusCode: status);

    // ---- DigitalOcean API v2 ----

    private static void MapDigitalOcean(WebApplication app, Func<ProviderStandIn> self)
    {
        app.MapGet("/v2/domains/{domain}/records", (HttpContext context, string domain, string? type, string? name) =>
        {
            var s = self();
            if (!s.Authorized(context)) return DigitalOceanError(401, "unauthorized", "Unable to authenticate you");
            if (domain != s.Zone.ZoneName) return DigitalOceanError(404, "not_found", "The resource you were accessing could not be found.");
            // The name filter is a fully qualified name; records come back with names relative to the domain.
            var records = s.Zone.All()
                .Where(r => type is null || r.Type.ToString() == type)
                .Where(r => name is null || r.Name == StandInZone.Key(name))
                .SelectMany(r => r.Contents.Select(c => DigitalOceanRecord(s, r, c)))
                .ToArray();
            return Results.Json(new JsonObject
            {
                ["domain_records"] = new JsonArray(records), ["links"] = new JsonObject(), ["meta"] = new JsonObject { ["total"] = records.Length },
            });
        });
        app.MapPut("/v2/domains/{domain}/records/{id}", async (HttpContext context, string domain, string id) =>
        {
            var s = self();
            if (!s.Authorized(context)) return DigitalOceanError(401, "unauthorized", "Unable to authenticate you");
            var record = domain == s.Zone.ZoneName ? s.Zone.FindById(id) : null;
            if (record is null) return DigitalOceanError(404, "not_found", "The resource you were accessing could not be found.");
            var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject;
            if (body?["type"]?.GetValue<string>() != record.Type.ToString()) return DigitalOceanError(422, "unprocessable_entity", "type is required and must be the record's type");
            var data = body["data"]?.GetValue<string>();
            if (data is null) return DigitalOceanError(422, "unprocessable_entity", "data is required");
            var content = record.Type == DnsRecordType.CNAME ? data.TrimEnd('.') : data;
            if (!DnsContent.IsValid(record.Type, content)) return DigitalOceanError(422, "unprocessable_entity", "data is invalid for the type");
            var updated = s.Zone.Update(record, [content], body["ttl"]?.GetValue<int>());
            return Results.Json(new JsonObject { ["domain_record"] = DigitalOceanRecord(s, updated, data) });
        });
    }

    private static JsonObject DigitalOceanRecord(ProviderStandIn s, StandInRecord r, string data)
    {
        var relative = r.Name == s.Zone.ZoneName ? "@" : r.Name[..^(s.Zone.ZoneName.Length + 1)];
        return new JsonObject
        {
            ["id"] = long.Parse(r.Id, System.Globalization.CultureInfo.InvariantCulture), ["type"] = r.Type.ToString(), ["name"] = relative,
            ["data"] = r.Type == DnsRecordType.CNAME && !data.EndsWith('.') ? data + "." : data,
            ["priority"] = null, ["port"] = null, ["ttl"] = r.Ttl, ["weight"] = null, ["flags"] = null, ["tag"] = null,
        };
    }

    private static IResult DigitalOceanError(int status, string id, string message) =>
        Results.Json(new JsonObject { ["id"] = id, ["message"] = message }, statusCode: status);

    // ---- Azure DNS (ARM record sets, api-version 2018-05-01) ----

    private const string AzurePath = "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/dnsZones/{zone}/{type}/{name}";

    private static void MapAzure(WebApplication app, Func<ProviderStandIn> self)
    {
        app.MapGet(AzurePath, (HttpContext context, string sub, string rg, string zone, string type, string name) =>
        {
            var s = self();
            var refusal = s.AzureRefusal(context, sub, rg, zone);
            if (refusal is not null) return refusal;
            var record = s.AzureRecord(type, name);
            return record is null
                ? AzureError(404, "NotFound", $"The resource record '{name}' does not exist in resource group '{rg}' of subscription '{sub}'.")
                : AzureRecordSetResult(s, record, context);
        });
        app.MapMethods(AzurePath, ["PATCH"], async (HttpContext context, string sub, string rg, string zone, string type, string name) =>
        {
            var s = self();
            var refusal = s.AzureRefusal(context, sub, rg, zone);
            if (refusal is not null) return refusal;
            var record = s.AzureRecord(type, name);
            if (record is null) return AzureError(404, "NotFound", $"The resource record '{name}' does not exist.");
            var ifMatch = context.Request.Headers.IfMatch.ToString();
            if (ifMatch.Length > 0 && ifMatch != record.ETag && ifMatch != "*")
                return AzureError(412, "PreconditionFailed", "The condition specified using HTTP conditional header(s) is not met.");
            var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject;
            var properties = body?["properties"] as JsonObject;
            if (properties is null) return AzureError(400, "BadRequest", "The request body has no properties.");
            IReadOnlyList<string>? contents = record.Type switch
            {
                DnsRecordType.A => (properties["ARecords"] as JsonArray)?.Select(a => a!["ipv4Address"]!.GetValue<string>()).ToList(),
                DnsRecordType.AAAA => (properties["AAAARecords"] as JsonArray)?.Select(a => a!["ipv6Address"]!.GetValue<string>()).ToList(),
                _ => properties["CNAMERecord"]?["cname"]?.GetValue<string>() is { } cname ? [cname] : null,
            };
            if (contents is null || contents.Count == 0 || contents.Any(c => !DnsContent.IsValid(record.Type, c)))
                return AzureError(400, "BadRequest", $"The {record.Type} records in the request are missing or invalid.");
            var ttl = properties["TTL"]?.GetValue<long>();
            var updated = s.Zone.Update(record, contents, ttl is null ? null : (int)ttl);
            return AzureRecordSetResult(s, updated, context);
        });
    }

    private IResult? AzureRefusal(HttpContext context, string sub, string rg, string zone)
    {
        if (context.Request.Query["api-version"] != "2018-05-01")
            return AzureError(400, "InvalidApiVersionParameter", $"The api-version '{context.Request.Query["api-version"]}' is invalid.");
        if (!Authorized(context))
            return AzureError(401, "InvalidAuthenticationToken", "The access token is invalid.");
        if (sub != SubscriptionId || !string.Equals(rg, ResourceGroup, StringComparison.OrdinalIgnoreCase) || zone != Zone.ZoneName)
            return AzureError(404, "ResourceNotFound", $"The Resource 'Microsoft.Network/dnszones/{zone}' under resource group '{rg}' was not found.");
        return null;
    }

    private StandInRecord? AzureRecord(string type, string relativeName)
    {
        if (!DnsContent.TryParseType(type, out var parsed)) return null;
        var fqdn = relativeName == "@" ? Zone.ZoneName : relativeName + "." + Zone.ZoneName;
        return Zone.Find(fqdn, parsed);
    }

    private static IResult AzureRecordSetResult(ProviderStandIn s, StandInRecord r, HttpContext context)
    {
        var relative = r.Name == s.Zone.ZoneName ? "@" : r.Name[..^(s.Zone.ZoneName.Length + 1)];
        var properties = new JsonObject { ["metadata"] = null, ["TTL"] = r.Ttl, ["fqdn"] = r.Name + ".", ["provisioningState"] = "Succeeded" };
        switch (r.Type)
        {
            case DnsRecordType.A: properties["ARecords"] = new JsonArray(r.Contents.Select(c => (JsonNode)new JsonObject { ["ipv4Address"] = c }).ToArray()); break;
            case DnsRecordType.AAAA: properties["AAAARecords"] = new JsonArray(r.Contents.Select(c => (JsonNode)new JsonObject { ["ipv6Address"] = c }).ToArray()); break;
            default: properties["CNAMERecord"] = new JsonObject { ["cname"] = r.Contents[0] }; break;
        }
        context.Response.Headers.ETag = r.ETag;
        return Results.Json(new JsonObject
        {
            ["id"] = $"/subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroup}/providers/Microsoft.Network/dnszones/{s.Zone.ZoneName}/{r.Type}/{relative}",
            ["name"] = relative, ["type"] = $"Microsoft.Network/dnszones/{r.Type}", ["etag"] = r.ETag, ["properties"] = properties,
        });
    }

    private static IResult AzureError(int status, string code, string message) =>
        Results.Json(new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }, statusCode: status);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One request as the stand-in received it.</summary>
public sealed record RecordedRequest(string Method, string PathAndQuery, string Authorization, string IfMatch, string Body)
{
    public JsonObject? Json => string.IsNullOrEmpty(Body) ? null : JsonNode.Parse(Body) as JsonObject;
}
