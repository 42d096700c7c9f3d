using System.Text.RegularExpressions;

namespace HyperFunctions.Domain.ServiceHealth;

/// <summary>
/// Text about a probe that is shown (last error, target): URLs lose their user info, query string and
/// fragment, since a key may travel there (<c>?code=</c>, <c>user:password@</c>); the text is one line and short.
/// </summary>
public static partial class ProbeText
{
    public const int MaxLength = 300;

    public static string Scrub(string? text, int max = MaxLength)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var oneLine = text.ReplaceLineEndings(" ").Trim();
        var scrubbed = UrlPattern().Replace(oneLine, m => ScrubUrl(m.Value));
        return scrubbed.Length <= max ? scrubbed : scrubbed[..max] + "…";
    }

    /// <summary>scheme://host[:port]/path, with "?…" where a query string was and no user info.</summary>
    public static string ScrubUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var trail = "";
        var trimmed = url.TrimEnd('.', ',', ')', ';', ':');
        trail = url[trimmed.Length..];
        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri))
        {
            // Not parseable: cut at the first character that can start user info or a query.
            var cut = trimmed.IndexOfAny(['?', '#', '@']);
            return (cut < 0 ? trimmed : trimmed[..cut] + "…") + trail;
        }
        var port = uri.IsDefaultPort ? "" : ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var query = uri.Query.Length > 0 || uri.Fragment.Length > 0 ? "?…" : "";
        return $"{uri.Scheme}://{uri.Host}{port}{uri.AbsolutePath}{query}{trail}";
    }

    [GeneratedRegex(@"[A-Za-z][A-Za-z0-9+.-]*://[^\s'""<>]+", RegexOptions.CultureInvariant)]
    private static partial Regex UrlPattern();
}
