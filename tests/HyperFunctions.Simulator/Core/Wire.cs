using System.Globalization;

namespace HyperFunctions.Simulator.Core;

/// <summary>
/// Formats numbers the way the venue answers them: decimal strings without exponent, trailing zeros
/// stripped, but an integral value keeps one decimal (<c>"97000.0"</c>, <c>"0.0"</c>).
/// </summary>
internal static class Wire
{
    public static string Num(decimal value)
    {
        var normalized = DecimalMath.Normalize(value);
        if (normalized == 0m)
        {
            return "0.0";
        }

        var text = normalized.ToString(CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) ? text : text + ".0";
    }

    /// <summary>USDC amounts: 6 decimals.</summary>
    public static string Usd(decimal value) => Num(Math.Round(value, 6, MidpointRounding.AwayFromZero));

    /// <summary>Rates (funding, premium): 8 decimals.</summary>
    public static string Rate(decimal value) => Num(Math.Round(value, 8, MidpointRounding.AwayFromZero));

    public static string Side(bool isBuy) => isBuy ? "B" : "A";
}
