using HyperFunctions.Domain.Failover;
using HyperFunctions.Storage.Failover;

namespace HyperFunctions.Streaming;

/// <summary>
/// Failover on: a keeper may lead only while its process's site (Failover:Site) is the active site of the
/// failover state row. Trusts its last read for Failover:ActiveSiteCacheSeconds (as the order gate does), so
/// a keeper ticking every second does not read the row every second.
/// </summary>
public sealed class SiteLeadershipEligibility(ActiveSiteReader reader, TimeSpan cacheFor, TimeProvider time) : ILeadershipEligibility
{
    private readonly Lock _gate = new();
    private LeadershipEligibility? _last;
    private DateTimeOffset _readAt;

    public async Task<LeadershipEligibility> CheckAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_last is not null && now - _readAt < cacheFor) return _last;
        }
        var reading = await reader.ReadAsync(ct);
        var answer = reading.IsActive
            ? new LeadershipEligibility(true, reading.ThisSite, $"site {reading.ThisSite} is active")
            : new LeadershipEligibility(false, reading.ThisSite, $"site {reading.ThisSite} is passive (the active site is {reading.ActiveSite}, {reading.State.ToWire()})");
        lock (_gate)
        {
            _last = answer;
            _readAt = now;
        }
        return answer;
    }
}
