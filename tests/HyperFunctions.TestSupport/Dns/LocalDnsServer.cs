using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using HyperFunctions.Dns;

namespace HyperFunctions.TestSupport.Dns;

public enum NameserverMode
{
    /// <summary>Answers from the zone as it is now.</summary>
    Live,

    /// <summary>Answers from the zone as it was when <see cref="LocalDnsServer.Freeze"/> was called (a lagging secondary).</summary>
    Frozen,

    /// <summary>Answers SERVFAIL.</summary>
    Failing,
}

/// <summary>
/// A minimal authoritative DNS server over UDP on 127.0.0.1 and a free port, answering A, AAAA and CNAME questions from a
/// <see cref="StandInZone"/> (RFC 1035 message format; no compression except the answer's pointer to the question name).
/// Unknown names get NXDOMAIN. It counts the questions it answered.
/// </summary>
public sealed class LocalDnsServer : IAsyncDisposable
{
    private readonly StandInZone _zone;
    private readonly UdpClient _udp;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private volatile NameserverMode _mode = NameserverMode.Live;
    private IReadOnlyList<StandInRecord> _frozen = [];
    private int _questions;

    public LocalDnsServer(StandInZone zone)
    {
        _zone = zone;
        _udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        Endpoint = (IPEndPoint)_udp.Client.LocalEndPoint!;
        _loop = Task.Run(ServeAsync);
    }

    public IPEndPoint Endpoint { get; }

    /// <summary>As the options spell it: <c>127.0.0.1:port</c>.</summary>
    public string Address => $"127.0.0.1:{Endpoint.Port}";

    public int Questions => Volatile.Read(ref _questions);

    public NameserverMode Mode => _mode;

    /// <summary>From now on answer the zone as it is at this moment.</summary>
    public void Freeze()
    {
        _frozen = _zone.All();
        _mode = NameserverMode.Frozen;
    }

    public void Live() => _mode = NameserverMode.Live;

    public void Fail() => _mode = NameserverMode.Failing;

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult received;
            try
            {
                received = await _udp.ReceiveAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // an ICMP port-unreachable from an earlier reply; keep serving
            }
            var reply = Answer(received.Buffer);
            if (reply is null) continue;
            Interlocked.Increment(ref _questions);
            try
            {
                await _udp.SendAsync(reply, received.RemoteEndPoint, _stop.Token);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                // the asker went away
            }
        }
    }

    private byte[]? Answer(byte[] query)
    {
        if (query.Length < 12) return null;
        var questions = BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(4));
        if (questions != 1) return null;
        var offset = 12;
        var labels = new List<string>();
        while (offset < query.Length && query[offset] != 0)
        {
            var length = query[offset];
            if (length > 63 || offset + 1 + length > query.Length) return null;
            labels.Add(Encoding.ASCII.GetString(query, offset + 1, length));
            offset += 1 + length;
        }
        offset++; // the root label
        if (offset + 4 > query.Length) return null;
        var qtype = BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(offset));
        var questionEnd = offset + 4;
        var name = string.Join('.', labels);

        var mode = _mode;
        var records = mode == NameserverMode.Frozen ? _frozen : _zone.All();
        var type = qtype switch { 1 => DnsRecordType.A, 28 => DnsRecordType.AAAA, 5 => DnsRecordType.CNAME, _ => (DnsRecordType?)null };
        var known = records.Any(r => r.Name == StandInZone.Key(name));
        var record = type is null ? null : records.FirstOrDefault(r => r.Name == StandInZone.Key(name) && r.Type == type);

        var rcode = mode == NameserverMode.Failing ? 2 : known ? 0 : 3;
        var answers = rcode == 0 && record is not null ? record.Contents.Select(c => RData(record.Type, c)).ToList() : [];

        using var reply = new MemoryStream();
        Span<byte> header = stackalloc byte[12];
        query.AsSpan(0, 2).CopyTo(header); // id
        var recursionDesired = (query[2] & 0x01) != 0;
        header[2] = (byte)(0x80 | 0x04 | (recursionDesired ? 0x01 : 0)); // QR, AA, RD echoed
        header[3] = (byte)rcode;
        BinaryPrimitives.WriteUInt16BigEndian(header[4..], 1);
        BinaryPrimitives.WriteUInt16BigEndian(header[6..], (ushort)answers.Count);
        reply.Write(header);
        reply.Write(query, 12, questionEnd - 12);
        Span<byte> fixedPart = stackalloc byte[12];
        foreach (var rdata in answers)
        {
            BinaryPrimitives.WriteUInt16BigEndian(fixedPart, 0xC00C); // pointer to the question's name
            BinaryPrimitives.WriteUInt16BigEndian(fixedPart[2..], qtype);
            BinaryPrimitives.WriteUInt16BigEndian(fixedPart[4..], 1); // IN
            BinaryPrimitives.WriteUInt32BigEndian(fixedPart[6..], (uint)record!.Ttl);
            BinaryPrimitives.WriteUInt16BigEndian(fixedPart[10..], (ushort)rdata.Length);
            reply.Write(fixedPart);
            reply.Write(rdata);
        }
        return reply.ToArray();
    }

    private static byte[] RData(DnsRecordType type, string content)
    {
        if (type is DnsRecordType.A or DnsRecordType.AAAA) return IPAddress.Parse(content).GetAddressBytes();
        using var name = new MemoryStream();
        foreach (var label in content.TrimEnd('.').Split('.'))
        {
            name.WriteByte((byte)label.Length);
            name.Write(Encoding.ASCII.GetBytes(label));
        }
        name.WriteByte(0);
        return name.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp.Dispose();
        try
        {
            await _loop;
        }
        catch (ObjectDisposedException)
        {
            // the socket closed under the pending receive
        }
        _stop.Dispose();
    }
}
