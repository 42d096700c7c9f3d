using HyperFunctions.Domain.Failover;

namespace HyperFunctions.Functions.Failover;

/// <summary>
/// The coordinator's state as this process last read or wrote it: what GET /api/status and the metrics
/// show, and what the order gate trusts for Failover:ActiveSiteCacheSeconds.
/// </summary>
public sealed class FailoverMemory
{
    private readonly Lock _gate = new();
    private FailoverRecord? _record;
    private DateTimeOffset? _readAt;
    private FailoverRun? _lastRun;

    public (FailoverRecord? Record, DateTimeOffset? ReadAt, FailoverRun? LastRun) Snapshot()
    {
        lock (_gate) return (_record, _readAt, _lastRun);
    }

    public void Remember(FailoverRecord record, DateTimeOffset at)
    {
        lock (_gate)
        {
            if (_record is null || record.Version >= _record.Version)
            {
                _record = record;
                _readAt = at;
            }
        }
    }

    public void RememberRun(FailoverRun run)
    {
        lock (_gate)
        {
            if (_lastRun is null || run.StartedAt >= _lastRun.StartedAt) _lastRun = run;
        }
    }
}
