using System.Globalization;
using System.Net;

namespace HyperFunctions.Dns;

/// <summary>A nameserver the verification asks directly: an IP address and a port.</summary>
public sealed record DnsNameserver(IPAddress Address, int Port)
{
    public const int DefaultPort = 53;

    /// <summary>Parses <c>ip</c>, <c>ip:port</c>, <c>[ipv6]</c> or <c>[ipv6]:port</c>. Host names are refused: resolving them would need the resolver being verified.</summary>
    public static bool TryParse(string? text, out DnsNameserver? nameserver)
    {
        nameserver = null;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var value = text.Trim();
        if (!IPEndPoint.TryParse(value, out var endpoint)) return false;
        var ipv4 = endpoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
        // IPEndPoint.TryParse also takes the short IPv4 forms ("192.0.2" is 192.0.0.2): only the dotted quad is meant.
        if (ipv4 && value.Count(c => c == '.') != 3) return false;
        // A bare IPv6 address ("2001:db8::53") parses with port 0, as does "[::1]"; an explicit ":0" is an error.
        var explicitPort = ipv4 ? value.Contains(':', StringComparison.Ordinal) : value.Contains("]:", StringComparison.Ordinal);
        if (explicitPort && endpoint.Port == 0) return false;
        nameserver = new DnsNameserver(endpoint.Address, explicitPort ? endpoint.Port : DefaultPort);
        return true;
    }

    public static DnsNameserver Parse(string text) =>
        TryParse(text, out var parsed) ? parsed! : throw new FormatException($"'{text}' is not a nameserver address (ip or ip:port).");

    public override string ToString() => Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
        ? string.Create(CultureInfo.InvariantCulture, $"[{Address}]:{Port}")
        : string.Create(CultureInfo.InvariantCulture, $"{Address}:{Port}");
}
