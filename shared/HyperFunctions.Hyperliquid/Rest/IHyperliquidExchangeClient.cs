using System.Text.Json.Nodes;

namespace HyperFunctions.Hyperliquid.Rest;

/// <summary>
/// Raw <c>POST /exchange</c> with a body already signed elsewhere
/// (<c>{"action","nonce","signature","vaultAddress"?}</c>). Retried only after a 429 or a failure to
/// connect; any failure after the request may have reached the venue throws
/// <see cref="ExchangeOutcomeUnknownException"/>.
/// </summary>
public interface IHyperliquidExchangeClient
{
    /// <summary>Posts the signed body and returns the venue's answer.</summary>
    Task<ExchangeResult> PostAsync(JsonObject signedBody, CancellationToken cancellationToken);
}
