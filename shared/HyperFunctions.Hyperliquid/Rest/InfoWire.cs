using System.Text.Json;
using HyperFunctions.Hyperliquid.Models;
using HyperFunctions.Hyperliquid.Serialization;

namespace HyperFunctions.Hyperliquid.Rest;

/// <summary>
/// The /info wire shapes for callers that talk to a second Hyperliquid-compatible endpoint with their own
/// HttpClient (e.g. the staleness check's backup source), so they speak exactly what the client speaks.
/// </summary>
public static class InfoWire
{
    public static byte[] L2BookRequest(string coin) => JsonSerializer.SerializeToUtf8Bytes(new CoinRequest("l2Book", coin), HyperliquidJsonContext.Default.CoinRequest);

    /// <summary>The l2Book answer; throws <see cref="JsonException"/> on a body of another shape.</summary>
    public static L2Book ReadL2Book(ReadOnlySpan<byte> body) =>
        JsonSerializer.Deserialize(body, HyperliquidJsonContext.Default.L2Book) ?? throw new JsonException("l2Book answer was null.");
}
