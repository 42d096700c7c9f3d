namespace HyperFunctions.Simulator.Json;

// Wire shapes of market data (REST /info and WebSocket payloads). Property order is the venue's.
internal sealed record L2Level(string Px, string Sz, int N);

internal sealed record L2BookData(string Coin, long Time, IReadOnlyList<IReadOnlyList<L2Level>> Levels);

internal sealed record BboData(string Coin, long Time, IReadOnlyList<L2Level?> Bbo);

internal sealed record AllMidsData(IReadOnlyDictionary<string, string> Mids);

internal sealed record TradeData(string Coin, string Side, string Px, string Sz, string Hash, long Time, long Tid, IReadOnlyList<string> Users);

internal sealed record PerpAssetCtx(
    string Funding,
    string OpenInterest,
    string PrevDayPx,
    string DayNtlVlm,
    string Premium,
    string OraclePx,
    string MarkPx,
    string MidPx,
    IReadOnlyList<string> ImpactPxs,
    string DayBaseVlm);

internal sealed record ActiveAssetCtxData(string Coin, PerpAssetCtx Ctx);

internal sealed record AssetMeta(string Name, int SzDecimals, int MaxLeverage);

internal sealed record MetaData(IReadOnlyList<AssetMeta> Universe);

internal sealed record FundingHistoryEntry(string Coin, string FundingRate, string Premium, long Time);
