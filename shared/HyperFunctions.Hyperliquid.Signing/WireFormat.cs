using System.Globalization;

namespace HyperFunctions.Hyperliquid.Signing;

/// <summary>
/// How prices and sizes are written on the wire and rounded to what the venue accepts.
/// Decimal arithmetic throughout: the SDK works on binary floats and needs tolerances; decimals do not.
/// </summary>
public static class WireFormat
{
    /// <summary>Decimals allowed in a wire number (the SDK's float_to_wire formats with 8).</summary>
    public const int WireDecimals = 8;

    /// <summary>Significant figures allowed in a non-integer price.</summary>
    public const int PriceSignificantFigures = 5;

    /// <summary>Perp prices may have at most (6 − szDecimals) decimals; spot prices (8 − szDecimals).</summary>
    public const int PerpMaxDecimals = 6;

    public const int SpotMaxDecimals = 8;

    /// <summary>
    /// The venue's decimal string for a number: at most 8 decimals, no trailing zeros, no exponent, "-0" → "0"
    /// (100 → "100", 0.0147 → "0.0147", 1670.10 → "1670.1").
    /// </summary>
    /// <exception cref="ArgumentException">The value has digits beyond the 8th decimal, which the wire would drop.</exception>
    public static string FloatToWire(decimal value)
    {
        var rounded = Math.Round(value, WireDecimals, MidpointRounding.ToEven);
        if (rounded != value)
        {
            throw new ArgumentException(
                $"{value.ToString(CultureInfo.InvariantCulture)} has more than {WireDecimals} decimals; writing it would round it. Round it first (RoundPrice / RoundSize).",
                nameof(value));
        }

        if (rounded == 0m)
        {
            return "0";
        }

        return rounded.ToString("0.########", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Rounds a price to the nearest value the venue accepts: integers are always accepted as they are; other
    /// prices keep at most 5 significant figures and at most (6 − szDecimals) decimals for perps (8 for spot).
    /// </summary>
    /// <remarks>
    /// Ties round half to even, as Python's round() does. For a non-integer price with 5 or more integer digits
    /// this returns the nearest integer (123456.7 → 123457), where the SDK's example rounds to 5 significant
    /// figures (123460); both are valid prices, this one is closer.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">px is negative or szDecimals is outside 0 .. max decimals.</exception>
    public static decimal RoundPrice(decimal px, int szDecimals, bool isPerp = true)
    {
        var maxDecimals = (isPerp ? PerpMaxDecimals : SpotMaxDecimals) - szDecimals;
        if (szDecimals < 0 || maxDecimals < 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(szDecimals), szDecimals, $"szDecimals must be between 0 and {(isPerp ? PerpMaxDecimals : SpotMaxDecimals).ToString(CultureInfo.InvariantCulture)}.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(px);
        if (px == decimal.Truncate(px))
        {
            return decimal.Truncate(px);
        }

        var decimals = Math.Min(maxDecimals, DecimalsForSignificantFigures(px, PriceSignificantFigures));
        return Math.Round(px, decimals, MidpointRounding.ToEven);
    }

    /// <summary>Rounds a size to szDecimals (ties to even, as Python's round()).</summary>
    /// <exception cref="ArgumentOutOfRangeException">szDecimals is outside 0 .. 28.</exception>
    public static decimal RoundSize(decimal sz, int szDecimals)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(szDecimals);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(szDecimals, 28);
        return Math.Round(sz, szDecimals, MidpointRounding.ToEven);
    }

    /// <summary>Number of decimals that leaves <paramref name="figures"/> significant figures in a positive value.</summary>
    private static int DecimalsForSignificantFigures(decimal value, int figures)
    {
        if (value >= 1m)
        {
            var integerDigits = decimal.Truncate(value).ToString(CultureInfo.InvariantCulture).Length;
            return Math.Max(0, figures - integerDigits);
        }

        // 0 < value < 1: count the zeros between the point and the first significant digit.
        var leadingZeros = 0;
        for (var scaled = value * 10m; scaled < 1m; scaled *= 10m)
        {
            leadingZeros++;
        }

        return leadingZeros + figures;
    }
}
