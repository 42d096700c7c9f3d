using System.Collections.Frozen;
using System.Text;

namespace HyperFunctions.Domain;

/// <summary>
/// Maps enum members (PascalCase in code) to the UPPER_SNAKE names used on the wire, in storage and in
/// config ("ArmedLive" ⇄ "ARMED_LIVE"), so every edge speaks the names the runbooks use.
/// </summary>
public static class WireNames<TEnum> where TEnum : struct, Enum
{
    private static readonly FrozenDictionary<TEnum, string> ToWireMap =
        Enum.GetValues<TEnum>().ToFrozenDictionary(v => v, v => ToUpperSnake(v.ToString()));

    private static readonly FrozenDictionary<string, TEnum> FromWireMap =
        ToWireMap.ToFrozenDictionary(kv => kv.Value, kv => kv.Key, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> All => FromWireMap.Keys;

    public static string ToWire(TEnum value) =>
        ToWireMap.TryGetValue(value, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(value), value, "Not a defined value.");

    public static bool TryParse(string? wire, out TEnum value)
    {
        if (wire is not null && FromWireMap.TryGetValue(wire, out value)) return true;
        value = default;
        return false;
    }

    public static TEnum Parse(string wire) =>
        TryParse(wire, out var value)
            ? value
            : throw new FormatException($"'{wire}' is not a valid {typeof(TEnum).Name}; expected one of: {string.Join(", ", All)}.");

    private static string ToUpperSnake(string pascal)
    {
        var sb = new StringBuilder(pascal.Length + 8);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (i > 0 && char.IsUpper(c) && !char.IsUpper(pascal[i - 1])) sb.Append('_');
            sb.Append(char.ToUpperInvariant(c));
        }
        return sb.ToString();
    }
}
