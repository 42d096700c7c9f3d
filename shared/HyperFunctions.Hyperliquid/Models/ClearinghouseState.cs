namespace HyperFunctions.Hyperliquid.Models;

/// <summary>Leverage of a position.</summary>
public sealed record Leverage(string Type, int Value, decimal? RawUsd = null);

/// <summary>A perpetual position; <see cref="Szi"/> is the signed size.</summary>
public sealed record Position(
    string Coin,
    decimal Szi,
    decimal? EntryPx,
    decimal PositionValue,
    decimal UnrealizedPnl,
    decimal? LiquidationPx,
    Leverage? Leverage,
    decimal MarginUsed,
    decimal? ReturnOnEquity = null);

/// <summary>One entry of <c>assetPositions</c>.</summary>
public sealed record AssetPosition(Position Position, string Type);

/// <summary>Margin summary numbers.</summary>
public sealed record MarginSummary(decimal AccountValue, decimal TotalNtlPos, decimal TotalRawUsd, decimal TotalMarginUsed);

/// <summary>The <c>clearinghouseState</c> answer.</summary>
public sealed record ClearinghouseState(
    IReadOnlyList<AssetPosition> AssetPositions,
    MarginSummary MarginSummary,
    MarginSummary? CrossMarginSummary,
    decimal Withdrawable,
    long? Time = null);
