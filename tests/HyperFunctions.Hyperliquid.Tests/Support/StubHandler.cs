using System.Net;
using System.Text;

namespace HyperFunctions.Hyperliquid.Tests.Support;

/// <summary>Primary handler answering from a script; counts what it saw.</summary>
internal sealed class StubHandler(Func<int, HttpRequestMessage, string, HttpResponseMessage> answer) : HttpMessageHandler
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public List<string> Bodies { get; } = [];

    public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    public static HttpResponseMessage TooMany(TimeSpan? retryAfter = null)
    {
        var r = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Content = new StringContent("rate limited") };
        if (retryAfter is { } ra)
        {
            r.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(ra);
        }

        return r;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        int n;
        lock (Bodies)
        {
            Bodies.Add(body);
            n = ++_count;
        }

        return answer(n, request, body);
    }
}
