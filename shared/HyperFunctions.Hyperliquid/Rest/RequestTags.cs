namespace HyperFunctions.Hyperliquid.Rest;

/// <summary>Per-request metadata the handlers and the weight budget read.</summary>
internal static class RequestTags
{
    /// <summary>Weight the venue charges for the request.</summary>
    public static readonly HttpRequestOptionsKey<int> Weight = new("hyperliquid.weight");

    /// <summary>Short description for logs and errors, e.g. <c>info:l2Book</c>.</summary>
    public static readonly HttpRequestOptionsKey<string> Endpoint = new("hyperliquid.endpoint");

    public static int WeightOf(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(Weight, out var w) ? w : 1;

    public static string EndpointOf(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(Endpoint, out var e) ? e : "unknown";

    public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var d = date - now;
            return d > TimeSpan.Zero ? d : TimeSpan.Zero;
        }

        return null;
    }
}
