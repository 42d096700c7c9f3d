using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace HyperFunctions.Functions.Http;

/// <summary>
/// Strict reading of a GET route's query parameters, the query-string twin of <see cref="JsonBody"/>: each
/// problem is collected per parameter so the 400 names every one, and nothing is read from storage when
/// there is any. Parameters the route does not read are ignored.
/// </summary>
/// <remarks>
/// A parameter is absent (the route's default applies) or given exactly once with a value. Present but
/// empty (<c>?limit=</c>) and repeated (<c>?limit=1&amp;limit=2</c>) are errors: a caller who wrote the
/// parameter meant something, and guessing which value is dangerous. Whole numbers are ASCII digits only
/// (no sign, space, decimal point or exponent; leading zeros are fine). The Functions host forwards a
/// repeated parameter joined with commas, which fails the digit rule the same way.
/// </remarks>
public sealed class QueryReader(IQueryCollection query)
{
    public const string LimitName = "limit";

    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public IReadOnlyDictionary<string, string[]> Errors => _errors;

    /// <summary>The 400 naming every bad parameter (call only when <see cref="IsValid"/> is false).</summary>
    public IResult Problem() => Problems.Invalid(_errors);

    /// <summary>Records an error found by the route itself (e.g. a text that is not one of the allowed values).</summary>
    public void Error(string name, string message) =>
        _errors[name] = _errors.TryGetValue(name, out var existing) ? [.. existing, message] : [message];

    /// <summary>
    /// <c>limit</c>: a whole number from 1 to <paramref name="max"/>; when absent the route's
    /// <paramref name="fallback"/>, lowered to <paramref name="max"/> when a configured maximum is below it.
    /// On an error that default is returned (and <see cref="IsValid"/> is false).
    /// </summary>
    public int Limit(int fallback, int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(fallback, 1);
        var chosen = Math.Min(fallback, max);
        return (int)(WholeNumber(LimitName, 1, max, chosen) ?? chosen);
    }

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>; <paramref name="fallback"/> when absent or bad.</summary>
    public long? WholeNumber(string name, long min, long max, long? fallback = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(min);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(min, max);
        var range = $"a whole number from {min} to {max}";
        var text = Single(name, range);
        if (text is null) return fallback;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max) return value;
        Error(name, $"Must be {range}.");
        return fallback;
    }

    /// <summary>A text given at most once; null when absent (or bad: empty, repeated).</summary>
    public string? Text(string name, string allowed) => Single(name, allowed);

    private string? Single(string name, string allowed)
    {
        StringValues raw = query.TryGetValue(name, out var values) ? values : StringValues.Empty;
        if (raw.Count == 0) return null;
        if (raw.Count > 1)
        {
            Error(name, $"Given {raw.Count} times: give it at most once, {allowed}.");
            return null;
        }
        if (string.IsNullOrEmpty(raw[0]))
        {
            Error(name, $"Empty: give {allowed}, or leave it out.");
            return null;
        }
        return raw[0];
    }
}
