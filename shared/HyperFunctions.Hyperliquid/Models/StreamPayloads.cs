using System.Text.Json.Serialization;

namespace HyperFunctions.Hyperliquid.Models;

/// <summary><c>allMids</c> channel payload.</summary>
public sealed record AllMidsPayload(IReadOnlyDictionary<string, decimal> Mids);

/// <summary>A public trade (<c>trades</c> channel); <see cref="Users"/> is [buyer, seller].</summary>
public sealed record Trade(string Coin, string Side, decimal Px, decimal Sz, string Hash, long Time, long Tid, IReadOnlyList<string>? Users = null);

/// <summary>A candle (<c>candle</c> channel).</summary>
public sealed record Candle(
    [property: JsonPropertyName("t")] long OpenTime,
    [property: JsonPropertyName("T")] long CloseTime,
    [property: JsonPropertyName("s")] string Coin,
    [property: JsonPropertyName("i")] string Interval,
    [property: JsonPropertyName("o")] decimal Open,
    [property: JsonPropertyName("c")] decimal Close,
    [property: JsonPropertyName("h")] decimal High,
    [property: JsonPropertyName("l")] decimal Low,
    [property: JsonPropertyName("v")] decimal Volume,
    [property: JsonPropertyName("n")] long Trades);

/// <summary><c>userFills</c> payload; the first after subscribing is a snapshot not to be re-processed.</summary>
public sealed record UserFillsPayload(string User, IReadOnlyList<Fill> Fills, bool IsSnapshot = false);

/// <summary>A funding payment in <c>userEvents</c>.</summary>
public sealed record UserFunding(string Coin, decimal Usdc, decimal Szi, decimal FundingRate);

/// <summary>A non-user cancel in <c>userEvents</c>.</summary>
public sealed record NonUserCancel(string Coin, long Oid);

/// <summary><c>userEvents</c> payload (wire channel <c>user</c>): exactly one member is set.</summary>
public sealed record UserEventPayload(
    IReadOnlyList<Fill>? Fills = null,
    UserFunding? Funding = null,
    System.Text.Json.JsonElement? Liquidation = null,
    IReadOnlyList<NonUserCancel>? NonUserCancel = null);

/// <summary><c>activeAssetCtx</c> payload.</summary>
public sealed record ActiveAssetContext(string Coin, AssetContext Ctx);

/// <summary>The <c>subscriptionResponse</c> acknowledgement.</summary>
public sealed record SubscriptionAck(string Method, Subscription Subscription);
