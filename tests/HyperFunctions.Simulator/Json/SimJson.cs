using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HyperFunctions.Simulator.Json;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(L2BookData))]
[JsonSerializable(typeof(BboData))]
[JsonSerializable(typeof(AllMidsData))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, long>))]
[JsonSerializable(typeof(IReadOnlyList<TradeData>))]
[JsonSerializable(typeof(ActiveAssetCtxData))]
[JsonSerializable(typeof(IReadOnlyList<PerpAssetCtx>))]
[JsonSerializable(typeof(MetaData))]
[JsonSerializable(typeof(IReadOnlyList<FundingHistoryEntry>))]
[JsonSerializable(typeof(IReadOnlyList<FillData>))]
[JsonSerializable(typeof(UserFillsData))]
[JsonSerializable(typeof(IReadOnlyList<BasicOrder>))]
[JsonSerializable(typeof(IReadOnlyList<WsOrderData>))]
[JsonSerializable(typeof(UserFillsEvent))]
[JsonSerializable(typeof(UserFundingEvent))]
[JsonSerializable(typeof(NonUserCancelEvent))]
[JsonSerializable(typeof(OrderStatusAnswer))]
[JsonSerializable(typeof(ClearinghouseStateData))]
[JsonSerializable(typeof(SimulatorStateView))]
[JsonSerializable(typeof(IReadOnlyList<FaultView>))]
[JsonSerializable(typeof(FaultView))]
internal sealed partial class SimJson : JsonSerializerContext
{
    /// <summary>Writes quotes as <c>\"</c> (not <c>\u0022</c>), as the venue does when echoing client text.</summary>
    public static JavaScriptEncoder Encoder => JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>The context with the relaxed encoder.</summary>
    public static SimJson Wire { get; } = new(new JsonSerializerOptions
    {
        Encoder = Encoder,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    });

    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = Encoder };

    public static JsonSerializerOptions NodeOptions { get; } = new() { Encoder = Encoder };

    /// <summary>Client JSON: duplicate keys are a parse error (a JsonObject would otherwise throw later, on access).</summary>
    public static JsonDocumentOptions ParseOptions { get; } = new() { AllowDuplicateProperties = false };
}
