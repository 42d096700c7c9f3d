using HyperFunctions.Dns;

namespace HyperFunctions.TestSupport.Dns;

/// <summary>
/// The records the provider stand-in keeps and the local nameservers answer from: one zone, records by (name, type),
/// each with an id, its contents, a TTL and an ETag that changes with every write.
/// </summary>
public sealed class StandInZone(string zoneName)
{
    private readonly object _gate = new();
    private readonly Dictionary<(string Name, DnsRecordType Type), StandInRecord> _records = [];
    private long _nextId = 3352892;

    public string ZoneName { get; } = zoneName;

    public StandInRecord Add(string name, DnsRecordType type, int ttl, params string[] contents)
    {
        lock (_gate)
        {
            var record = new StandInRecord((_nextId++).ToString(System.Globalization.CultureInfo.InvariantCulture), Key(name), type, contents, ttl, NewETag());
            _records[(record.Name, type)] = record;
            return record;
        }
    }

    public StandInRecord? Find(string name, DnsRecordType type)
    {
        lock (_gate) return _records.GetValueOrDefault((Key(name), type));
    }

    public IReadOnlyList<StandInRecord> All()
    {
        lock (_gate) return _records.Values.ToList();
    }

    public StandInRecord? FindById(string id)
    {
        lock (_gate) return _records.Values.FirstOrDefault(r => r.Id == id);
    }

    /// <summary>Replaces a record's contents (and TTL when given); a new ETag either way.</summary>
    public StandInRecord Update(StandInRecord record, IReadOnlyList<string> contents, int? ttl)
    {
        lock (_gate)
        {
            var updated = record with { Contents = contents, Ttl = ttl ?? record.Ttl, ETag = NewETag() };
            _records[(record.Name, record.Type)] = updated;
            return updated;
        }
    }

    public static string Key(string name) => name.Trim().TrimEnd('.').ToLowerInvariant();

    private static string NewETag() => Guid.NewGuid().ToString();
}

public sealed record StandInRecord(string Id, string Name, DnsRecordType Type, IReadOnlyList<string> Contents, int Ttl, string ETag);
