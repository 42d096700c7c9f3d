using System.Net;
using System.Net.Sockets;

namespace HyperFunctions.Dns;

/// <summary>The record types a failover switches: an address (A, AAAA) or an alias (CNAME).</summary>
public enum DnsRecordType
{
    A,
    AAAA,
    CNAME,
}

/// <summary>
/// Parsing and comparison of record content, the same way for the providers' answers, the nameservers' answers and the
/// configured targets: addresses compare as addresses (so <c>2001:db8::1</c> equals <c>2001:0db8:0:0::1</c>), host names
/// compare case-insensitively without the trailing dot.
/// </summary>
public static class DnsContent
{
    public static bool TryParseType(string? text, out DnsRecordType type)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case "A": type = DnsRecordType.A; return true;
            case "AAAA": type = DnsRecordType.AAAA; return true;
            case "CNAME": type = DnsRecordType.CNAME; return true;
            default: type = default; return false;
        }
    }

    /// <summary>Whether <paramref name="content"/> is valid content for a record of <paramref name="type"/>.</summary>
    public static bool IsValid(DnsRecordType type, string? content) => type switch
    {
        DnsRecordType.A => IPAddress.TryParse(content, out var a) && a.AddressFamily == AddressFamily.InterNetwork && content.Count(c => c == '.') == 3,
        DnsRecordType.AAAA => IPAddress.TryParse(content, out var b) && b.AddressFamily == AddressFamily.InterNetworkV6,
        DnsRecordType.CNAME => IsHostName(content),
        _ => false,
    };

    /// <summary>The canonical form used for comparisons (and shown in reports).</summary>
    public static string Normalize(DnsRecordType type, string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var trimmed = content.Trim();
        if (type is DnsRecordType.A or DnsRecordType.AAAA && IPAddress.TryParse(trimmed, out var address))
            return address.ToString();
        return trimmed.TrimEnd('.').ToLowerInvariant();
    }

    public static bool SameContent(DnsRecordType type, string? left, string? right) =>
        left is not null && right is not null && string.Equals(Normalize(type, left), Normalize(type, right), StringComparison.Ordinal);

    /// <summary>A DNS host name: 1-253 characters, dot-separated labels of 1-63 letters, digits, hyphens or underscores, an optional trailing dot.</summary>
    public static bool IsHostName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return false;
        var trimmed = name.EndsWith('.') ? name[..^1] : name;
        if (trimmed.Length is 0 or > 253) return false;
        foreach (var label in trimmed.Split('.'))
        {
            if (label.Length is 0 or > 63 || label.StartsWith('-') || label.EndsWith('-')) return false;
            if (!label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) return false;
        }
        return true;
    }
}
