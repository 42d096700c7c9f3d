using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace HyperFunctions.Dns.Providers;

/// <summary>
/// The request plumbing the three providers share: send, read the body, turn a refusal into a
/// <see cref="DnsProviderException"/> whose message names the provider, the operation and the status, with any text the
/// provider sent back shortened and with the credential blanked out should the provider ever echo it.
/// </summary>
internal static class DnsProviderHttp
{
    private const int MaxDetail = 200;

    public static async Task<(HttpStatusCode Status, string Body)> SendAsync(
        HttpClient http, HttpRequestMessage request, string provider, string operation, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return (response.StatusCode, body);
        }
        catch (HttpRequestException ex)
        {
            throw new DnsProviderException($"{provider} {operation} failed: the API could not be reached ({ex.HttpRequestError}).", ex);
        }
        catch (Exception ex) when (ex is TaskCanceledException or TimeoutException or Polly.Timeout.TimeoutRejectedException && !cancellationToken.IsCancellationRequested)
        {
            throw new DnsProviderException($"{provider} {operation} failed: the API did not answer in time.", ex);
        }
    }

    public static T Deserialize<T>(string body, JsonTypeInfo<T> type, string provider, string operation)
    {
        try
        {
            return JsonSerializer.Deserialize(body, type) ?? throw new DnsProviderException($"{provider} {operation}: the API answered an empty body.");
        }
        catch (JsonException ex)
        {
            throw new DnsProviderException($"{provider} {operation}: the API's answer is not the documented JSON ({ex.Message}).", ex);
        }
    }

    public static DnsProviderException Refused(string provider, string operation, HttpStatusCode status, string? providerText, string? secret, string credentialSource)
    {
        var code = (int)status;
        var detail = Shorten(providerText, secret);
        var suffix = detail.Length == 0 ? "" : $": {detail}";
        if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return new DnsProviderException(string.Create(CultureInfo.InvariantCulture,
                $"{provider} {operation} refused the credentials from {credentialSource} (HTTP {code}){suffix}. Check that the token is valid and may edit the zone's DNS records."))
            { StatusCode = code, IsAuthenticationFailure = true };
        }
        return new DnsProviderException(string.Create(CultureInfo.InvariantCulture, $"{provider} {operation} failed with HTTP {code}{suffix}.")) { StatusCode = code };
    }

    /// <summary>Provider text made safe for a log or a report: one line, at most 200 characters, the secret (if any) blanked.</summary>
    public static string Shorten(string? text, string? secret)
    {
        if (string.IsNullOrWhiteSpace(text)) return "";
        var value = text;
        if (!string.IsNullOrEmpty(secret)) value = value.Replace(secret, "***", StringComparison.Ordinal);
        var builder = new StringBuilder(Math.Min(value.Length, MaxDetail + 1));
        foreach (var c in value)
        {
            if (builder.Length >= MaxDetail) { builder.Append('…'); break; }
            builder.Append(char.IsControl(c) ? ' ' : c);
        }
        return builder.ToString().Trim();
    }

    public static string Escape(string segment) => Uri.EscapeDataString(segment);
}
