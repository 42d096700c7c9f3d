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
        if (IPAddress.TryParse(value, out var bare) && !value.Contains(']', StringComparison.Ordinal))
        {
            // A bare IPv4 or IPv6 address ("::1" parses here too; "1.2.3.4:53" does not).
            if (bare.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 || !value.Contains(':', StringComparison.Ordinal))
            {
                nameserver = new DnsNameserver(bare, DefaultPort);
                return true;
            }
        }
        if (!IPEndPoint.TryParse(value, out var endpoint)) return false;
        var port = endpoint.Port == 0 ? DefaultPort : endpoint.Port;
        // IPEndPoint.TryParse accepts "1.2.3.4:0" as port 0 and "[::1]" without a port; only "ip:0" is an error.
        if (endpoint.Port == 0 && value.EndsWith(":0", StringComparison.Ordinal)) return false;
        if (endpoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && value.Count(c => c == '.') != 3) return false;
        nameserver = new DnsNameserver(endpoint.Address, port);
        return true;
    }

    public static DnsNameserver Parse(string text) =>
        TryParse(text, out var parsed) ? parsed! : throw new FormatException($"'{text}' is not a nameserver address (ip or ip:port).");

    public override string ToString() => Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
        ? string.Create(CultureInfo.InvariantCulture, $"[{Address}]:{Port}")
        : string.Create(CultureInfo.InvariantCulture, $"{Address}:{Port}");
}
