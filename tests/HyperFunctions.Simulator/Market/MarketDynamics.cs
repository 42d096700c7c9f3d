using HyperFunctions.Simulator.Core;

namespace HyperFunctions.Simulator.Market;

/// <summary>
/// The seeded random walk of fair value, oracle and basis, and the derived premium, mark price and
/// predicted funding (venue formula: premium + clamp(interest − premium, ±0.05 %), per 8 h, paid hourly).
/// </summary>
internal static class MarketDynamics
{
    private const decimal InterestPer8h = 0.0001m;
    private const decimal FundingClamp = 0.0005m;
    private const decimal FundingCap = 0.04m;
    private const decimal ImpactNotional = 20_000m;

    public static void Step(CoinState coin, Random random)
    {
        var move = coin.Config.Volatility * Gaussian(random);
        coin.FairPx = Math.Max(coin.FairPx * (1m + move), coin.Config.InitialPrice / 1000m);
        var basis = (coin.Basis * 0.9m) + (0.0002m * Gaussian(random));
        coin.Basis = Math.Clamp(basis, -0.005m, 0.005m);
        coin.OraclePx = PriceRules.RoundPrice(coin.FairPx * (1m + (0.00005m * Gaussian(random))), coin.SzDecimals);
    }

    /// <summary>Recomputes premium and mark from the book; funding too unless it is frozen.</summary>
    public static void UpdateContext(CoinState coin, bool updateFunding)
    {
        var impactBid = ImpactPrice(coin, bids: true) ?? coin.MidOrLast;
        var impactAsk = ImpactPrice(coin, bids: false) ?? coin.MidOrLast;
        var oracle = coin.OraclePx;
        var premium = (Math.Max(impactBid - oracle, 0m) - Math.Max(oracle - impactAsk, 0m)) / oracle;
        coin.Premium = Math.Round(premium, 8, MidpointRounding.AwayFromZero);
        var bid = coin.Book.BestBid ?? coin.MidOrLast;
        var ask = coin.Book.BestAsk ?? coin.MidOrLast;
        coin.MarkPx = PriceRules.RoundPrice(DecimalMath.Median(oracle * (1m + coin.Premium), bid, ask), coin.SzDecimals);
        if (updateFunding)
        {
            var per8h = coin.Premium + Math.Clamp(InterestPer8h - coin.Premium, -FundingClamp, FundingClamp);
            coin.Funding = Math.Round(Math.Clamp(per8h / 8m, -FundingCap, FundingCap), 8, MidpointRounding.AwayFromZero);
        }
    }

    /// <summary>Price reached by a market order of the impact notional (null when the side is too thin).</summary>
    public static decimal? ImpactPrice(CoinState coin, bool bids)
    {
        var notional = 0m;
        foreach (var (px, sz, _) in coin.Book.Levels(bids, 20))
        {
            notional += px * sz;
            if (notional >= ImpactNotional)
            {
                return px;
            }
        }

        return null;
    }

    public static decimal Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        var z = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        return (decimal)Math.Clamp(z, -6.0, 6.0);
    }
}
