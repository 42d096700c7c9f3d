using HyperFunctions.Simulator.Core;
using HyperFunctions.Simulator.Json;

namespace HyperFunctions.Simulator.Market;

/// <summary>Wire views of market state, shared by REST and WebSocket.</summary>
internal static class MarketViews
{
    public const int MaxLevels = 20;

    public static L2BookData Book(CoinState coin, int? nSigFigs, int? mantissa)
    {
        var bids = Aggregate(coin.Book.Levels(bids: true, int.MaxValue), nSigFigs, mantissa, bids: true);
        var asks = Aggregate(coin.Book.Levels(bids: false, int.MaxValue), nSigFigs, mantissa, bids: false);
        return new L2BookData(coin.Name, coin.BookTimeMs, [bids.Select(Level).ToList(), asks.Select(Level).ToList()]);
    }

    public static BboData Bbo(CoinState coin)
    {
        var bid = coin.Book.Levels(bids: true, 1);
        var ask = coin.Book.Levels(bids: false, 1);
        return new BboData(coin.Name, coin.BookTimeMs, [bid.Count == 0 ? null : Level(bid[0]), ask.Count == 0 ? null : Level(ask[0])]);
    }

    public static Dictionary<string, string> Mids(IEnumerable<CoinState> coins) =>
        coins.ToDictionary(c => c.Name, c => Wire.Num(c.MidOrLast), StringComparer.Ordinal);

    public static PerpAssetCtx Ctx(CoinState coin, decimal openInterest)
    {
        var impactBid = MarketDynamics.ImpactPrice(coin, bids: true) ?? coin.MidOrLast;
        var impactAsk = MarketDynamics.ImpactPrice(coin, bids: false) ?? coin.MidOrLast;
        return new PerpAssetCtx(
            Wire.Rate(coin.Funding),
            Wire.Num(openInterest),
            Wire.Num(coin.PrevDayPx),
            Wire.Usd(coin.DayNtlVlm),
            Wire.Rate(coin.Premium),
            Wire.Num(coin.OraclePx),
            Wire.Num(coin.MarkPx),
            Wire.Num(coin.MidOrLast),
            [Wire.Num(impactBid), Wire.Num(impactAsk)],
            Wire.Num(coin.DayBaseVlm));
    }

    public static MetaData Meta(IEnumerable<CoinState> coins) =>
        new(coins.Select(c => new AssetMeta(c.Name, c.SzDecimals, c.Config.MaxLeverage)).ToList());

    private static L2Level Level((decimal Px, decimal Sz, int N) level) => new(Wire.Num(level.Px), Wire.Num(level.Sz), level.N);

    private static List<(decimal Px, decimal Sz, int N)> Aggregate(IReadOnlyList<(decimal Px, decimal Sz, int N)> levels, int? nSigFigs, int? mantissa, bool bids)
    {
        if (nSigFigs is not { } figures)
        {
            return levels.Take(MaxLevels).ToList();
        }

        var merged = new List<(decimal Px, decimal Sz, int N)>();
        foreach (var (px, sz, n) in levels)
        {
            var bucket = DecimalMath.Pow10(DecimalMath.FloorLog10(px) - figures + 1) * (mantissa ?? 1);
            var rounded = bids ? DecimalMath.FloorTo(px, bucket) : DecimalMath.CeilingTo(px, bucket);
            if (merged.Count > 0 && merged[^1].Px == rounded)
            {
                merged[^1] = (rounded, merged[^1].Sz + sz, merged[^1].N + n);
            }
            else if (merged.Count == MaxLevels)
            {
                break;
            }
            else
            {
                merged.Add((rounded, sz, n));
            }
        }

        return merged;
    }
}
