using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace HyperFunctions.Cli.Api;

/// <summary>An answer of the ops API: HTTP status and the body exactly as received.</summary>
internal sealed record ApiAnswer(HttpMethod Method, Uri Url, HttpStatusCode Status, string Body)
{
    public bool IsSuccess => (int)Status is >= 200 and <= 299;

    public string Request => $"{Method} {Url.GetLeftPart(UriPartial.Path)}";

    /// <summary>
    /// The failure this answer is: 400 is the caller's input (exit 2, each field the API named), 409 the safety
    /// state refusing the command (<see cref="ExitCodes.Refused"/>), anything else (401, 403, 404, 5xx, …)
    /// <see cref="ExitCodes.ApiFailure"/>. The message has the status and the API's problem text (and its code).
    /// </summary>
    public ApiCallException Failure(string? lead = null)
    {
        var problem = TryRead(CliJsonContext.Default.ProblemAnswer);
        var text = problem is null
            ? Printable.Text(Body, 300)
            : string.Join(" ", new[] { problem.Title, problem.Detail }.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => Printable.Text(t)).Distinct(StringComparer.Ordinal));
        var status = $"{(int)Status} {Printable.Text(ReasonPhrase(Status), 60)}".Trim();
        var code = problem?.Code is { Length: > 0 } c ? $" (code {Printable.Text(c, 80)})" : "";
        var message = $"{lead ?? Request + " failed"}: HTTP {status}{(text.Length > 0 ? ": " + text : "")}{code}";
        return (int)Status switch
        {
            400 => new ApiCallException(message, ExitCodes.InvalidInput),
            409 => new ApiCallException(message, ExitCodes.Refused),
            _ => new ApiCallException(message + Hint(Status), ExitCodes.ApiFailure),
        };
    }

    public T? TryRead<T>(System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class
    {
        try
        {
            return Body.Length == 0 ? null : JsonSerializer.Deserialize(Body, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The answer read as <typeparamref name="T"/>, or exit 3 naming the request: hf trusts nothing it cannot read.</summary>
    public T Read<T>(System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class =>
        TryRead(type) ?? throw new ApiCallException($"{Request} answered HTTP {(int)Status} with a body hf cannot read: '{Printable.Text(Body, 200)}'.");

    private static string ReasonPhrase(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => "Unauthorized",
        HttpStatusCode.Forbidden => "Forbidden",
        HttpStatusCode.NotFound => "Not Found",
        HttpStatusCode.BadRequest => "Bad Request",
        HttpStatusCode.Conflict => "Conflict",
        HttpStatusCode.ServiceUnavailable => "Service Unavailable",
        HttpStatusCode.InternalServerError => "Internal Server Error",
        _ => "",
    };

    private static string Hint(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => $" (check {ApiKeys.AdminKeyVariable} / {ApiKeys.FunctionKeyVariable} against the app's Api__AdminKey / Api__FunctionKey)",
        HttpStatusCode.Forbidden => $" (this route needs the admin key in {ApiKeys.AdminKeyVariable})",
        HttpStatusCode.NotFound => $" (is --url / {ApiOptions.UrlVariable} the function app's base URL?)",
        _ => "",
    };
}

/// <summary>
/// A small HTTP client for the ops API: the key in the x-functions-key header (never the URL), one overall
/// timeout per request (connect, send and read), and every failure to get an answer turned into an
/// <see cref="ApiCallException"/> that names the request and never the key.
/// </summary>
internal sealed class OpsApiClient : IDisposable
{
    public const string KeyHeader = "x-functions-key";
    public const string OperatorHeader = "X-Operator";

    private readonly HttpClient _http;
    private readonly Uri _baseUrl;
    private readonly TimeSpan _timeout;
    private readonly string _key;

    public OpsApiClient(Uri baseUrl, string key, TimeSpan timeout)
    {
        _baseUrl = baseUrl;
        _key = key;
        _timeout = timeout;
        // The timeout is ours (one token per request), so the message can say what it means for the operator.
        _http = new HttpClient { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("hf", "1"));
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    /// <param name="route">The route below the base URL, without a leading slash (e.g. "api/status").</param>
    /// <param name="onTimeout">What a timeout means for this request, appended to the message.</param>
    public async Task<ApiAnswer> SendAsync(HttpMethod method, string route, string? jsonBody, string? operatorName, string onTimeout, CancellationToken ct)
    {
        var url = new Uri(_baseUrl, route);
        using var request = new HttpRequestMessage(method, url);
        request.Headers.TryAddWithoutValidation(KeyHeader, _key);
        if (operatorName is not null) request.Headers.TryAddWithoutValidation(OperatorHeader, operatorName);
        if (jsonBody is not null) request.Content = new StringContent(jsonBody, Encoding.UTF8, "application/json");

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_timeout);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            return new ApiAnswer(method, url, response.StatusCode, body);
        }
        catch (OperationCanceledException ex)
        {
            // Ctrl+C or --timeout: either way the request may have reached the API, so the operator is told what that means.
            var why = ct.IsCancellationRequested ? "was interrupted before the answer came" : $"got no answer within {_timeout.TotalSeconds:0} s (--timeout)";
            throw new ApiCallException($"{method} {url} {why}. {onTimeout}", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new ApiCallException($"cannot reach the ops API: {method} {url} failed: {Printable.Text(Describe(ex), 300)}", ex);
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>"Connection refused (127.0.0.1:1)" sits under HttpRequestException's generic "An error occurred while sending the request."</summary>
    private static string Describe(Exception ex)
    {
        var message = ex.Message;
        for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (!message.Contains(inner.Message, StringComparison.Ordinal)) message += " " + inner.Message;
        }

        return message;
    }
}
