using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using Polly;

namespace HyperFunctions.Hyperliquid.Rest;

/// <summary>
/// When an <c>/exchange</c> POST may be sent again: only when it surely did not reach the venue's
/// engine — a 429 (refused before processing) or a failure to establish the connection.
/// </summary>
internal static class ExchangeRetryRules
{
    public static bool ShouldRetry(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests
        || (outcome.Exception is HttpRequestException ex && IsConnectFailure(ex));

    public static bool IsConnectFailure(HttpRequestException ex) =>
        ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
        || ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.HostUnreachable or SocketError.NetworkUnreachable };
}
