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
        var trimmed = url.TrimEnd('.', ',', ')', ';', ':');
        var trail = url[trimmed.Length..];
        // Cut the query and fragment from the text itself: not every scheme's parser treats '?' as a query.
        var cut = trimmed.IndexOfAny(['?', '#']);
        var query = cut >= 0 ? "?…" : "";
        var head = cut >= 0 ? trimmed[..cut] : trimmed;
        if (!Uri.TryCreate(head, UriKind.Absolute, out var uri) || uri.HostNameType == UriHostNameType.Unknown)
        {
            var at = head.LastIndexOf('@');
            var scheme = head.IndexOf("://", StringComparison.Ordinal);
            if (at >= 0 && scheme >= 0 && at > scheme) head = head[..(scheme + 3)] + head[(at + 1)..];
            return head + query + trail;
        }
        var port = uri.IsDefaultPort ? "" : ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return $"{uri.Scheme}://{uri.Host}{port}{uri.AbsolutePath}{query}{trail}";
    }

    [GeneratedRegex(@"[A-Za-z][A-Za-z0-9+.-]*://[^\s'""<>]+", RegexOptions.CultureInvariant)]
    private static partial Regex UrlPattern();
}
