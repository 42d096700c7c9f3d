using System.Text.Json.Serialization;
using HyperFunctions.Hyperliquid.Models;
using HyperFunctions.Hyperliquid.Rest;

namespace HyperFunctions.Hyperliquid.Serialization;

/// <summary>Source-generated JSON metadata for every venue shape the clients read or write.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TypeOnlyRequest))]
[JsonSerializable(typeof(CoinRequest))]
[JsonSerializable(typeof(UserRequest))]
[JsonSerializable(typeof(UserTimeRequest))]
[JsonSerializable(typeof(CoinTimeRequest))]
[JsonSerializable(typeof(OrderStatusByOidRequest))]
[JsonSerializable(typeof(OrderStatusByCloidRequest))]
[JsonSerializable(typeof(SocketCommand))]
[JsonSerializable(typeof(Dictionary<string, decimal>))]
[JsonSerializable(typeof(L2Book))]
[JsonSerializable(typeof(Bbo))]
[JsonSerializable(typeof(Meta))]
[JsonSerializable(typeof(MetaAndAssetContexts))]
[JsonSerializable(typeof(List<AssetContext>))]
[JsonSerializable(typeof(ClearinghouseState))]
[JsonSerializable(typeof(List<VenueOrder>))]
[JsonSerializable(typeof(List<Fill>))]
[JsonSerializable(typeof(OrderStatusResult))]
[JsonSerializable(typeof(List<FundingRecord>))]
[JsonSerializable(typeof(AllMidsPayload))]
[JsonSerializable(typeof(List<Trade>))]
[JsonSerializable(typeof(Candle))]
[JsonSerializable(typeof(UserFillsPayload))]
[JsonSerializable(typeof(List<OrderWithStatus>))]
[JsonSerializable(typeof(UserEventPayload))]
[JsonSerializable(typeof(ActiveAssetContext))]
[JsonSerializable(typeof(SubscriptionAck))]
internal sealed partial class HyperliquidJsonContext : JsonSerializerContext;
