using System.Net;
using FsCheck;
using FsCheck.Fluent;
using HyperFunctions.Dns;

namespace HyperFunctions.Dns.Tests;

/// <summary>Pure rules checked over many generated inputs: nameserver addresses round-trip, timing stays in its bounds, content compares as DNS does.</summary>
public sealed class DnsPropertyTests
{
    private static readonly Config Thorough = Config.QuickThrowOnFailure.WithMaxTest(500);

    private static Gen<IPAddress> Ipv4 { get; } =
        from a in Gen.Choose(1, 254) from b in Gen.Choose(0, 255) from c in Gen.Choose(0, 255) from d in Gen.Choose(0, 255)
        select new IPAddress([(byte)a, (byte)b, (byte)c, (byte)d]);

    private static Gen<IPAddress> Ipv6 { get; } =
        from words in Gen.ArrayOf(Gen.Choose(0, 0xFFFF), 8)
        select new IPAddress(words.SelectMany(w => new[] { (byte)(w >> 8), (byte)w }).ToArray());

    [Fact]
    public void A_nameserver_written_as_its_own_text_parses_back_to_itself()
    {
        var gen = from address in Gen.OneOf(Ipv4, Ipv6) from port in Gen.Choose(1, 65535) select new DnsNameserver(address, port);
        Check.One(Thorough, Prop.ForAll(gen.ToArbitrary(), nameserver =>
            DnsNameserver.TryParse(nameserver.ToString(), out var parsed) && parsed == nameserver));
    }

    [Fact]
    public void A_bare_address_means_port_53()
    {
        Check.One(Thorough, Prop.ForAll(Gen.OneOf(Ipv4, Ipv6).ToArbitrary(), address =>
            DnsNameserver.TryParse(address.ToString(), out var parsed) && parsed == new DnsNameserver(address, 53)));
    }

    [Fact]
    public void Default_timing_always_waits_at_least_a_ttl_up_to_the_cap_and_polls_within_bounds()
    {
        Check.One(Thorough, Prop.ForAll(Gen.Choose(0, 86_400).ToArbitrary(), ttl =>
        {
            var timing = DnsVerificationTiming.For(ttl, null, null, 2);
            var effective = ttl <= 1 ? 300 : ttl;
            return timing.Timeout.TotalSeconds >= Math.Min(effective, 900 - 120) + 120 - 1e-9
                && timing.Timeout <= TimeSpan.FromSeconds(900)
                && timing.PollInterval >= TimeSpan.FromSeconds(2)
                && timing.PollInterval <= TimeSpan.FromSeconds(30)
                && timing.PollInterval <= timing.Timeout;
        }));
    }

    [Fact]
    public void Addresses_compare_by_value_whatever_their_spelling()
    {
        Check.One(Thorough, Prop.ForAll(Ipv6.ToArbitrary(), address =>
        {
            var full = string.Join(':', Enumerable.Range(0, 8).Select(i => ((address.GetAddressBytes()[2 * i] << 8) | address.GetAddressBytes()[2 * i + 1]).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)));
            return DnsContent.IsValid(DnsRecordType.AAAA, full)
                && DnsContent.SameContent(DnsRecordType.AAAA, full, address.ToString())
                && DnsContent.Normalize(DnsRecordType.AAAA, full) == address.ToString();
        }));
    }
}
