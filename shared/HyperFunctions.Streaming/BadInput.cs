namespace HyperFunctions.Streaming;

/// <summary>Cuts offending input short for a log line, so a huge or hostile frame never floods the log.</summary>
public static class BadInput
{
    public const int MaxShown = 120;

    public static string Excerpt(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "(empty)";
        var cut = text.Length > MaxShown ? text[..MaxShown] + $"… ({text.Length} chars)" : text;
        return string.Create(cut.Length, cut, static (span, s) =>
        {
            for (var i = 0; i < s.Length; i++) span[i] = char.IsControl(s[i]) ? '?' : s[i];
        });
    }
}
