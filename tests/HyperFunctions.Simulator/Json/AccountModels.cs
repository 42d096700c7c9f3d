using System.Text.Json.Serialization;

namespace HyperFunctions.Simulator.Json;

// Wire shape of clearinghouseState.
internal sealed record LeverageData(string Type, int Value);

internal sealed record CumFundingData(string AllTime, string SinceOpen, string SinceChange);

internal sealed record PositionData(
    string Coin,
    string Szi,
    LeverageData Leverage,
    string EntryPx,
    string PositionValue,
    string UnrealizedPnl,
    string ReturnOnEquity,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? LiquidationPx,
    string MarginUsed,
    int MaxLeverage,
    CumFundingData CumFunding);

internal sealed record AssetPositionData(PositionData Position, string Type);

internal sealed record MarginSummaryData(string AccountValue, string TotalNtlPos, string TotalRawUsd, string TotalMarginUsed);

internal sealed record ClearinghouseStateData(
    IReadOnlyList<AssetPositionData> AssetPositions,
    MarginSummaryData MarginSummary,
    MarginSummaryData CrossMarginSummary,
    string CrossMaintenanceMarginUsed,
    string Withdrawable,
    long Time);
