namespace HyperFunctions.Simulator.Core;

/// <summary>Order ids (sequential), trade ids and transaction hashes (seeded pseudo-random).</summary>
internal sealed class IdSource(int seed)
{
    private readonly Lock _gate = new();
    private readonly Random _random = new(unchecked(seed * 7919 + 17));
    private long _nextOid = 30_000_000_000;

    public long NextOid() => Interlocked.Increment(ref _nextOid);

    public long NextTid()
    {
        lock (_gate)
        {
            return _random.NextInt64(100_000_000_000_000, 999_999_999_999_999);
        }
    }

    public string NextHash()
    {
        Span<byte> bytes = stackalloc byte[32];
        lock (_gate)
        {
            _random.NextBytes(bytes);
        }

        return "0x" + Convert.ToHexStringLower(bytes);
    }

    public string NextAddress()
    {
        Span<byte> bytes = stackalloc byte[20];
        lock (_gate)
        {
            _random.NextBytes(bytes);
        }

        return "0x" + Convert.ToHexStringLower(bytes);
    }
}
