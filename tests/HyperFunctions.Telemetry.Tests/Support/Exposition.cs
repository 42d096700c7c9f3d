using System.Globalization;
using System.Text.RegularExpressions;

namespace HyperFunctions.Telemetry.Tests.Support;

/// <summary>Reads the Prometheus text exposition: sample names and values by their labels.</summary>
internal static partial class Exposition
{
    /// <summary>Every sample name (histogram series included: _bucket, _sum, _count).</summary>
    public static HashSet<string> SampleNames(string text) =>
        text.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => SampleName().Match(l).Value).Where(n => n.Length > 0).ToHashSet(StringComparer.Ordinal);

    /// <summary>The value of the one sample of <paramref name="name"/> whose labels include all of <paramref name="labels"/>; null when none.</summary>
    public static double? Value(string text, string name, params (string Label, string Value)[] labels)
    {
        var matches = text.Split('\n')
            .Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))
            .Where(l => labels.All(x => l.Contains($"{x.Label}=\"{x.Value}\"", StringComparison.Ordinal)))
            .ToList();
        Assert.True(matches.Count <= 1, $"More than one {name} sample matches: {string.Join(" | ", matches)}");
        if (matches.Count == 0) return null;
        var line = matches[0];
        var value = line[(line.LastIndexOf('}') is var close and >= 0 ? close + 1 : name.Length)..].Trim().Split(' ')[0];
        return double.Parse(value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex SampleName();
}
