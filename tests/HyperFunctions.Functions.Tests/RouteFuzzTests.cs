using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.TestSupport;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace HyperFunctions.Functions.Tests;

/// <summary>
/// Property: whatever body, content type, query string, key or method a caller sends to any route of
/// the app, the answer is never a 5xx, and a 4xx writes no history row. The routes come from the
/// function catalog (function.json), so a route added later is fuzzed without touching this test.
/// The cases are drawn from FsCheck generators with a fixed seed, so a run is replayable: set
/// HF_FUZZ_SEED to try another seed; a failure names the seed and the case.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RouteFuzzTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const ulong DefaultSeed = 0x4846_2026_1123;
    private const int GeneratorSize = 20;

    [Theory]
    [InlineData("self-host", 600)]
    [InlineData("custom-handler", 200)]
    public async Task No_request_answers_5xx_and_no_4xx_writes_history(string mode, int cases)
    {
        var settings = mode == "custom-handler"
            ? new Dictionary<string, string?> { ["FUNCTIONS_CUSTOMHANDLER_PORT"] = "7071", ["Api:AdminKey"] = null, ["Api:FunctionKey"] = null }
            : null;
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings);
        var routes = Routes(app, mode == "custom-handler");
        var seed = Environment.GetEnvironmentVariable("HF_FUZZ_SEED") is { Length: > 0 } s ? ulong.Parse(s, CultureInfo.InvariantCulture) : DefaultSeed;
        var requests = FuzzGenerators.Requests(routes).Sample(cases, new Rnd(seed), GeneratorSize);

        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        var version = await LatestVersionAsync(app);
        for (var i = 0; i < requests.Length; i++)
        {
            var fuzz = requests[i];
            using var response = await app.Client.SendAsync(fuzz.ToMessage());
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync();
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var after = await LatestVersionAsync(app);
            var problem = status switch
            {
                >= 500 => $"answered {status}",
                >= 400 when after != version => $"answered {status} but history moved from version {version} to {after}",
                400 when fuzz.Path.StartsWith("/api/", StringComparison.Ordinal) && !NamesAField(response, text) => "answered 400 without problem details naming a field",
                _ => null,
            };
            if (problem is not null) failures.Add($"case {i} (seed {seed}): {fuzz} {problem}: {Shorten(text)}");
            version = after;
        }

        output.WriteLine($"seed {seed}, {requests.Length} cases over {routes.Count} routes: " + string.Join(", ", statuses.Select(kv => $"{kv.Key}×{kv.Value}")));
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        // The generators must keep reaching every side of the property: validation, functions that answer and, self-hosted, the state machine's refusals.
        // Measured against the requests to routes that take a body: a GET-only route added later dilutes the total, not validation.
        var toBodyRoutes = requests.Count(r => routes.Single(x => x.Path == r.Path).Methods.Contains("POST", StringComparer.OrdinalIgnoreCase));
        Assert.True(statuses.Where(kv => kv.Key == 400).Sum(kv => kv.Value) >= toBodyRoutes / 3, "too few 400s: the generators no longer reach validation");
        Assert.True(statuses.Where(kv => kv.Key is >= 200 and < 300).Sum(kv => kv.Value) >= 5, "too few 2xx: the generators no longer reach the functions");
        if (mode == "self-host") Assert.True(statuses.GetValueOrDefault(409) >= 1, "no 409: the generators no longer reach the state machine's refusals");
    }

    /// <summary>Every route to fuzz: each HTTP function's route and methods from its function.json and, under the host, the invocation and readiness routes.</summary>
    private static List<FuzzRoute> Routes(TestApp app, bool customHandler)
    {
        var catalog = app.App.Services.GetRequiredService<FunctionCatalog>();
        var endpoints = app.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        // Each HTTP function at the path the app serves it under its name (e.g. /api/status; GetMetrics is /metrics in self-host).
        var routes = catalog.Definitions
            .Where(d => d.Trigger == TriggerKind.Http)
            .Select(d => new FuzzRoute(
                "/" + Assert.Single(endpoints, e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName == d.Name).RoutePattern.RawText!.TrimStart('/'),
                d.Methods ?? ["GET", "POST"]))
            // Two functions may share a path with different methods (GET and POST /api/orders): one route, both methods.
            .GroupBy(r => r.Path, StringComparer.Ordinal)
            .Select(g => new FuzzRoute(g.Key, g.SelectMany(r => r.Methods).Distinct(StringComparer.OrdinalIgnoreCase).ToList()))
            .ToList();
        if (customHandler)
        {
            routes.AddRange(catalog.Definitions.Where(d => d.Trigger != TriggerKind.Http).Select(d => new FuzzRoute("/" + d.Name, ["POST"])));
            routes.Add(new FuzzRoute("/", ["GET"]));
        }
        // Nothing the app serves may escape the fuzzing: every mapped endpoint must be one of these routes.
        var mapped = endpoints.Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'));
        Assert.All(mapped, m => Assert.Contains(routes, r => r.Path == m));
        return routes;
    }

    private static async Task<long> LatestVersionAsync(TestApp app)
    {
        var (status, json) = await app.SendAsync(HttpMethod.Get, "/api/safety/history?limit=1", TestApp.FunctionKey);
        Assert.Equal(200, status);
        return (long)json!["items"]![0]!["version"]!;
    }

    private static bool NamesAField(HttpResponseMessage response, string text) =>
        response.Content.Headers.ContentType?.MediaType == "application/problem+json"
        && JsonNode.Parse(text) is JsonObject json
        && json["errors"] is JsonObject { Count: > 0 };

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}

internal sealed record FuzzRoute(string Path, IReadOnlyList<string> Methods);

/// <summary>One generated request. Bytes are kept as sent, so a case can be replayed exactly.</summary>
internal sealed record FuzzRequest(string Method, string Path, string Query, string? Key, string? Operator, string? ContentType, byte[]? Body)
{
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), Path + (Query.Length > 0 ? "?" + Query : ""));
        if (Key is not null) message.Headers.TryAddWithoutValidation("x-functions-key", Key);
        if (Operator is not null) message.Headers.TryAddWithoutValidation("X-Operator", Operator);
        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body);
            if (ContentType is not null) message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        }
        return message;
    }

    public override string ToString()
    {
        var body = Body is null ? "(none)" : Body.Length > 200 ? $"{Body.Length} bytes starting {Convert.ToHexString(Body, 0, 40)}" : Convert.ToHexString(Body);
        return $"{Method} {Path}?{Query} key={Key ?? "(none)"} operator={Operator ?? "(none)"} content-type={ContentType ?? "(none)"} body(hex)={body}";
    }
}

/// <summary>
/// Generators for hostile requests: JSON of every type in every field, broken JSON, odd bytes, content
/// types, queries and keys. Static generators are declared before the ones that use them.
/// </summary>
internal static class FuzzGenerators
{
    private static readonly string[] AnyMethod = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

    private static readonly string[] FieldNames =
        ["reason", "reasonCode", "message", "mode", "allowNonHalt", "Data", "Metadata", "timer", "MESSAGE", "extra", "", @"\ud800", @"\u0000", "reason\u00e9"];

    private static readonly string[] WireWords =
        ["ARMED_LIVE", "ARMED_SAFE", "HALT", "MANUAL_HALT", "MANUAL_RESET", "MANUAL_PROMOTE", "KILL_SWITCH", "BOOT", "STORAGE_UNAVAILABLE", "halt", "desk ready"];

    private static readonly string[] ContentTypes =
    [
        "application/json", "application/json; charset=utf-8", "application/json; charset=utf-16", "text/plain",
        "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/octet-stream",
        "application/problem+json", "*/*", "garbage;;;=", "", "application/json; charset=\"\u00e9\"",
    ];

    public static Gen<FuzzRequest> Requests(IReadOnlyList<FuzzRoute> routes) =>
        from route in Gen.Elements(routes.ToArray())
        from method in Gen.Frequency((9, Gen.Elements(route.Methods.ToArray())), (1, Gen.Elements(AnyMethod)))
        from query in Query
        from key in Gen.Frequency(
            (17, Gen.Constant<string?>(TestApp.AdminKey)), (1, Gen.Constant<string?>(TestApp.FunctionKey)),
            (1, Gen.Constant<string?>(null)), (1, Gen.Constant<string?>("not-a-key-0123456789")))
        from op in Gen.Frequency(
            (8, Gen.Constant<string?>(null)), (1, Gen.Constant<string?>("alice@desk")), (1, Gen.Elements<string?>("bad name!", new string('a', 65), "", "\u00e9t\u00e9")))
        from contentType in Gen.Frequency((3, Gen.Constant<string?>("application/json")), (1, Gen.Constant<string?>(null)), (2, Gen.Elements(ContentTypes).Select(c => (string?)c)))
        from body in Gen.Frequency(
            (1, Gen.Constant<byte[]?>(null)),
            (12, Body.Select(b => (byte[]?)b)),
            (Commands.ContainsKey(route.Path) ? 6 : 0, Gen.Elements(Commands.GetValueOrDefault(route.Path, [""])).Select(c => (byte[]?)Utf8(c))))
        select new FuzzRequest(method, route.Path, query, key, op, contentType, body);

    /// <summary>JSON string content from a mix of plain characters, escapes (lone surrogates included) and multi-byte text.</summary>
    private static Gen<string> RandomText { get; } =
        Gen.Elements("a", "Z", "0", " ", "-", "\u00e9", "\u20ac", "\U0001F600", @"\""", @"\\", @"\/", @"\n", @"\t", @"\u0041", @"\ud800", @"\udbff\udfff", @"\u001f", @"\u0085")
            .ListOf().Select(parts => string.Concat(parts.Take(30)));

    private static Gen<string> Scalar { get; } = Gen.Frequency(
        (1, Gen.Elements("null", "true", "false")),
        (2, Gen.Elements("0", "-0", "1e+308", "-1e+308", "1e999", "1e-400", "123456789012345678901234567890", "1.5", "-1", "9223372036854775808")),
        (5, Gen.Elements(WireWords).Select(w => $"\"{w}\"")),
        (4, Gen.Elements(@"""\ud800""", @"""\udc00""", @"""a\udfff\ud800b""", @"""\ud83d\ude00""", @"""\u0000""", @"""bell\u0007""", @"""line\nbreak""", @"""""", @"""   """, "\"caf\u00e9\"")),
        (1, Gen.Constant("\"" + new string('x', 1001) + "\"")),
        (3, RandomText.Select(t => $"\"{t}\"")));

    private static Gen<string> JsonValue(int depth) => depth == 0
        ? Scalar
        : Gen.Frequency(
            (6, Scalar),
            (1, JsonValue(depth - 1).ListOf().Select(l => "[" + string.Join(",", l.Take(4)) + "]")),
            (1, (from n in Gen.Elements(FieldNames) from v in JsonValue(depth - 1) select $"{{\"{n}\":{v}}}")));

    private static Gen<string> Field { get; } =
        from name in Gen.Frequency((6, Gen.Elements(FieldNames)), (1, RandomText))
        from value in JsonValue(2)
        select $"\"{name}\":{value}";

    /// <summary>Objects built as text, so repeated keys, escapes and odd numbers reach the server as written.</summary>
    private static Gen<string> JsonObjectText { get; } =
        from fields in Field.ListOf().Select(l => l.Take(6).ToList())
        from repeat in Gen.Frequency((5, Gen.Constant(false)), (1, Gen.Constant(true)))
        let all = repeat && fields.Count > 0 ? fields.Append(fields[0]) : fields
        select "{" + string.Join(",", all) + "}";

    /// <summary>A custom-handler invocation with random Data/Metadata content, so the host routes see near-valid payloads too.</summary>
    private static Gen<string> Invocation { get; } =
        from binding in Gen.Elements("timer", "msg", "other")
        from value in JsonValue(2)
        from metadata in Gen.Elements("{}", "null", """{"DequeueCount":"1","Id":"\"x\""}""", """{"DequeueCount":1e999}""", """{"sys":{"UtcNow":"\ud800"}}""")
        select $"{{\"Data\":{{\"{binding}\":{value}}},\"Metadata\":{metadata}}}";

    private static Gen<byte[]> BrokenBody { get; } = Gen.OneOf(
        JsonObjectText.SelectMany(t => Gen.Choose(0, Math.Max(0, t.Length - 1)).Select(cut => Utf8(t[..cut]))), // cut short
        JsonObjectText.Select(t => Utf8(t + " trailing")),
        JsonObjectText.Select(t => (byte[])[0xEF, 0xBB, 0xBF, .. Utf8(t)]),
        JsonObjectText.Select(t => Encoding.Unicode.GetBytes(t)),
        Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf().Select(a => a.Take(64).ToArray()),
        Gen.Elements<byte[]>(
            [], " "u8.ToArray(), "null"u8.ToArray(), "[]"u8.ToArray(), "\"text\""u8.ToArray(), "reason=desk+ready"u8.ToArray(),
            [.. "{\"reason\":\""u8, 0xFF, 0xFE, .. "\"}"u8], [.. "{\""u8, 0xED, 0xA0, 0x80, .. "\":1}"u8],
            Utf8("{\"reason\":" + new string('[', 2000) + new string(']', 2000) + "}"),
            Utf8("{\"message\":\"" + new string('m', 17 * 1024) + "\"}")));

    /// <summary>
    /// Well-formed commands for the routes known today, so the state moves and the state machine's own
    /// refusals (409) are reached too. A route added later is still fuzzed with everything else.
    /// </summary>
    private static readonly Dictionary<string, string[]> Commands = new(StringComparer.Ordinal)
    {
        ["/api/safety/promote"] = ["""{"reason":"desk ready"}"""],
        ["/api/safety/halt"] = ["""{"message":"desk call"}""", """{"reasonCode":"KILL_SWITCH","message":"stop"}"""],
        ["/api/safety/reset"] =
        [
            """{"mode":"ARMED_SAFE","message":"checked"}""", """{"mode":"ARMED_LIVE","message":"go","allowNonHalt":true}""",
            """{"mode":"HALT","message":"stop","allowNonHalt":true}""", """{"mode":"ARMED_SAFE","message":"back","allowNonHalt":true}""",
        ],
    };

    private static Gen<byte[]> Body { get; } = Gen.Frequency(
        (10, JsonObjectText.Select(Utf8)),
        (2, Invocation.Select(Utf8)),
        (4, BrokenBody));

    private static Gen<string> Query { get; } =
        from parameters in (from name in Gen.Elements("limit", "before", "code", "x", "", "LIMIT", "%ED%A0%80")
                            from value in Gen.OneOf(
                                Gen.Choose(-5, 600).Select(n => n.ToString(CultureInfo.InvariantCulture)),
                                Gen.Elements("", "0", "1", "007", "1e3", "5.0", "%2B5", "%205", "1,2", "99999999999999999999999", "9223372036854775807",
                                    "9223372036854775808", "%00", "%FF", "%ED%A0%80", "%", "abc", "%E2%82%AC"))
                            select name + "=" + value).ListOf()
        from extra in Gen.Elements("", "&", "&&", "=", "&x")
        select string.Join("&", parameters.Take(4)) + extra;

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
