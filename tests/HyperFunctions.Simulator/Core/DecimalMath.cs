using System.Globalization;

namespace HyperFunctions.Simulator.Core;

/// <summary>Decimal helpers for the venue's price and size rules.</summary>
internal static class DecimalMath
{
    private static readonly decimal[] PowersOfTen = BuildPowers();

    /// <summary>Removes trailing zeros from the scale (1.500 → 1.5).</summary>
    public static decimal Normalize(decimal value) => value / 1.000000000000000000000000000000000m;

    public static int DecimalPlaces(decimal value) => Normalize(value).Scale;

    public static int SignificantFigures(decimal value)
    {
        var digits = Math.Abs(Normalize(value)).ToString(CultureInfo.InvariantCulture).Replace(".", string.Empty, StringComparison.Ordinal);
        digits = digits.TrimStart('0');
        return digits.Length == 0 ? 1 : digits.Length;
    }

    /// <summary>10^exponent for exponent in [-28, 28].</summary>
    public static decimal Pow10(int exponent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(exponent, -28);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(exponent, 28);
        return exponent >= 0 ? PowersOfTen[exponent] : 1m / PowersOfTen[-exponent];
    }

    /// <summary>floor(log10(value)) for a positive value.</summary>
    public static int FloorLog10(decimal value)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
        var exponent = 0;
        while (value >= 10m)
        {
            value /= 10m;
            exponent++;
        }

        while (value < 1m)
        {
            value *= 10m;
            exponent--;
        }

        return exponent;
    }

    public static decimal FloorTo(decimal value, decimal step) => Math.Floor(value / step) * step;

    public static decimal CeilingTo(decimal value, decimal step) => Math.Ceiling(value / step) * step;

    public static decimal RoundTo(decimal value, decimal step) => Math.Round(value / step, MidpointRounding.AwayFromZero) * step;

    public static decimal Median(decimal a, decimal b, decimal c) => Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));

    private static decimal[] BuildPowers()
    {
        var powers = new decimal[29];
        powers[0] = 1m;
        for (var i = 1; i < powers.Length; i++)
        {
            powers[i] = powers[i - 1] * 10m;
        }

        return powers;
    }
}
