using HyperFunctions.Simulator.Core;

namespace HyperFunctions.Simulator.Market;

/// <summary>
/// The venue's tick and lot rules for perps: prices have at most 5 significant figures and at most
/// 6 − szDecimals decimals (integers always allowed); sizes have at most szDecimals decimals.
/// </summary>
internal static class PriceRules
{
    private const int MaxPerpDecimals = 6;
    private const int MaxSignificantFigures = 5;

    public static bool IsValidPrice(decimal price, int szDecimals)
    {
        if (price <= 0m)
        {
            return false;
        }

        if (decimal.IsInteger(price))
        {
            return true;
        }

        return DecimalMath.DecimalPlaces(price) <= MaxPerpDecimals - szDecimals
            && DecimalMath.SignificantFigures(price) <= MaxSignificantFigures;
    }

    public static bool IsValidSize(decimal size, int szDecimals) =>
        size > 0m && DecimalMath.DecimalPlaces(size) <= szDecimals;

    /// <summary>The price step valid around <paramref name="price"/>.</summary>
    public static decimal Tick(decimal price, int szDecimals)
    {
        var decimals = Math.Min(MaxSignificantFigures - 1 - DecimalMath.FloorLog10(price), MaxPerpDecimals - szDecimals);
        return decimals <= 0 ? 1m : DecimalMath.Pow10(-decimals);
    }

    public static decimal Lot(int szDecimals) => DecimalMath.Pow10(-szDecimals);

    public static decimal FloorPrice(decimal price, int szDecimals) => DecimalMath.FloorTo(price, Tick(price, szDecimals));

    public static decimal CeilingPrice(decimal price, int szDecimals) => DecimalMath.CeilingTo(price, Tick(price, szDecimals));

    public static decimal RoundPrice(decimal price, int szDecimals) => DecimalMath.RoundTo(price, Tick(price, szDecimals));

    public static decimal FloorSize(decimal size, int szDecimals) => DecimalMath.FloorTo(size, Lot(szDecimals));
}
