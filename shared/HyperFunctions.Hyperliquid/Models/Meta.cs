namespace HyperFunctions.Hyperliquid.Models;

/// <summary>One perpetual in the universe; its index is the asset id used in orders.</summary>
public sealed record AssetMeta(string Name, int SzDecimals, int MaxLeverage, bool? OnlyIsolated = null, bool? IsDelisted = null);

/// <summary>The <c>meta</c> answer.</summary>
public sealed record Meta(IReadOnlyList<AssetMeta> Universe);

/// <summary>Per-asset context (funding, prices, open interest); nullable fields may be absent or null.</summary>
public sealed record AssetContext(
    decimal? Funding,
    decimal? OpenInterest,
    decimal? OraclePx,
    decimal? MarkPx,
    decimal? MidPx,
    decimal? Premium,
    decimal? PrevDayPx,
    decimal? DayNtlVlm,
    IReadOnlyList<decimal>? ImpactPxs);

/// <summary>The <c>metaAndAssetCtxs</c> answer: <c>[meta, [ctx per asset in universe order]]</c>.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(Serialization.MetaAndAssetContextsConverter))]
public sealed record MetaAndAssetContexts(Meta Meta, IReadOnlyList<AssetContext> Contexts);
