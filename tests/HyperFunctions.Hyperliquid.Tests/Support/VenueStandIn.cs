using System.Net;
using System.Text;
using HyperFunctions.Hyperliquid.Rest;

namespace HyperFunctions.Hyperliquid.Tests.Support;

/// <summary>
/// A stand-in for the venue on the driven clock. It answers the first <c>rateLimitedFirst</c> requests
/// with 429 (and an optional Retry-After), then answers every info request normally, unless the weight
/// of the last minute (counted as the venue does, per rolling minute, 429s included) would exceed its
/// budget: then it answers 429 too. Every answer is recorded with its time, weight and status.
/// </summary>
internal sealed class VenueStandIn(TimeProvider time, int rateLimitedFirst, TimeSpan? retryAfter, int budgetPerMinute = 1200) : HttpMessageHandler
{
    private const string MetaAndCtxs = """[{"universe":[{"name":"BTC","szDecimals":5,"maxLeverage":50}]},[{"funding":"0.0000125","openInterest":"10","oraclePx":"100","markPx":"100.5","midPx":"100.4","premium":"0.0001","prevDayPx":"99","dayNtlVlm":"1000","impactPxs":null}]]""";
    private const string Book = """{"coin":"BTC","time":1700000000000,"levels":[[{"px":"100","sz":"1","n":1}],[{"px":"101","sz":"2","n":2}]]}""";
    private readonly List<VenueAnswer> _answers = [];

    public IReadOnlyList<VenueAnswer> Answers
    {
        get
        {
            lock (_answers)
            {
                return [.. _answers];
            }
        }
    }

    /// <summary>Weight the stand-in served (answered 200) in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public int ServedWeight(DateTimeOffset from, DateTimeOffset to) =>
        Answers.Where(a => a.Status == HttpStatusCode.OK && a.At >= from && a.At < to).Sum(a => a.Weight);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        var now = time.GetUtcNow();
        var weight = RequestTags.WeightOf(request);
        HttpStatusCode status;
        lock (_answers)
        {
            var lastMinute = _answers.Where(a => a.At > now - TimeSpan.FromMinutes(1)).Sum(a => a.Weight);
            status = _answers.Count < rateLimitedFirst || lastMinute + weight > budgetPerMinute
                ? HttpStatusCode.TooManyRequests
                : HttpStatusCode.OK;
            _answers.Add(new VenueAnswer(now, weight, status, body));
        }

        if (status == HttpStatusCode.TooManyRequests)
        {
            var r = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Content = new StringContent("rate limited") };
            if (retryAfter is { } ra)
            {
                r.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(ra);
            }

            return r;
        }

        var json = body.Contains("metaAndAssetCtxs", StringComparison.Ordinal) ? MetaAndCtxs
            : body.Contains("l2Book", StringComparison.Ordinal) ? Book
            : "[]";
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
    }
}

/// <summary>One answer of the stand-in.</summary>
internal sealed record VenueAnswer(DateTimeOffset At, int Weight, HttpStatusCode Status, string Body);
