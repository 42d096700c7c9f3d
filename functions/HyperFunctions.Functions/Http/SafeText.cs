using System.Text;

namespace HyperFunctions.Functions.Http;

/// <summary>
/// Text from a caller that goes back into a response (a field name, a rejected value, a parser's message)
/// or into a log. A lone surrogate would make the JSON writer throw, so a 400 would turn into a 500;
/// this makes any string valid UTF-16 and short.
/// </summary>
public static class SafeText
{
    public const int DefaultMax = 80;

    /// <summary>Replaces every unpaired surrogate with U+FFFD and cuts the text to <paramref name="max"/> characters (marked with …).</summary>
    public static string Display(string? text, int max = DefaultMax)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        var builder = new StringBuilder(Math.Min(text.Length, max) + 1);
        var i = 0;
        for (; i < text.Length && builder.Length < max; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                if (builder.Length + 2 > max) break; // never split a pair
                builder.Append(c).Append(text[++i]);
            }
            else
            {
                builder.Append(char.IsSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return i < text.Length ? builder.Append('…').ToString() : builder.ToString();
    }

    /// <summary>True when every surrogate in the text is part of a pair (the text can be encoded as UTF-8).</summary>
    public static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsSurrogate(text[i])) continue;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else return false;
        }
        return true;
    }

    /// <summary>True for C0 controls other than tab, line feed and carriage return, DEL, and C1 controls.</summary>
    public static bool HasControlCharacters(string text) =>
        text.AsSpan().ContainsAnyInRange('\u0000', '\u0008')
        || text.AsSpan().ContainsAnyInRange('\u000B', '\u000C')
        || text.AsSpan().ContainsAnyInRange('\u000E', '\u001F')
        || text.AsSpan().ContainsAnyInRange('\u007F', '\u009F');
}
