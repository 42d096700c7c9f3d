using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using HyperFunctions.Storage.Alerts;

namespace HyperFunctions.Alerts.Channels;

/// <summary>
/// A channel that POSTs JSON. 2xx is delivered; 408, 429 and 5xx, a network error or a timeout may be retried;
/// any other answer is permanent (the receiver refuses this request and will go on refusing it). Error details
/// name the status or the network error, never the URL (a Slack webhook URL is a secret).
/// </summary>
public abstract class HttpAlertChannel(string name, IHttpClientFactory clients) : IAlertChannel
{
    public const string HttpClientName = "hf-alerts";

    public string Name { get; } = name;

    public abstract string Kind { get; }

    /// <summary>Where to POST; null when the channel cannot send (its secret is missing).</summary>
    protected abstract Uri? Target { get; }

    /// <summary>The text explaining why <see cref="Target"/> is null.</summary>
    protected virtual string MissingTarget => "the channel has no target";

    /// <summary>False for a URL that is itself a secret: such requests are kept out of traces.</summary>
    protected virtual bool TraceRequests => true;

    protected abstract JsonObject Body(AlertDelivery delivery);

    protected virtual void Decorate(HttpRequestMessage request)
    {
    }

    public async Task<DeliveryResult> SendAsync(AlertDelivery delivery, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (Target is not { } target) return DeliveryResult.Permanent(MissingTarget);
        using var request = new HttpRequestMessage(HttpMethod.Post, target)
        {
            Content = new StringContent(Body(delivery).ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        if (!TraceRequests) request.Options.Set(Telemetry.HyperFunctionsDiagnostics.UntracedRequest, true);
        Decorate(request);
        try
        {
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode) return DeliveryResult.Delivered($"HTTP {status}");
            return status is 408 or 429 or >= 500
                ? DeliveryResult.Transient($"HTTP {status} {response.ReasonPhrase}")
                : DeliveryResult.Permanent($"HTTP {status} {response.ReasonPhrase}");
        }
        catch (HttpRequestException ex)
        {
            return DeliveryResult.Transient($"network error: {ex.HttpRequestError}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return DeliveryResult.Transient("timed out");
        }
    }

    protected static JsonValue? Text(string? value) => value is null ? null : JsonValue.Create(value);

    protected static Uri? ParseUrl(string? text) =>
        text is not null && Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null;

    protected static string Iso(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
}
