using HyperFunctions.Domain.Checks;

namespace HyperFunctions.Domain.ServiceHealth;

/// <summary>
/// All probes at one moment, graded the ASP.NET Core way (the worst wins): UNHEALTHY when a critical probe
/// is unhealthy, DEGRADED when only non-critical ones are, HEALTHY otherwise. <see cref="Healthy"/> is
/// "not UNHEALTHY": the site can carry on (what failover asks). No probes configured is HEALTHY with 0/0.
/// </summary>
public sealed record ServiceHealthReport(
    CheckHealth Status,
    int HealthyCount,
    int Total,
    int Pending,
    IReadOnlyList<ProbeState> Probes,
    IReadOnlyList<ProbeState> UnhealthyCritical,
    IReadOnlyList<ProbeState> UnhealthyOther)
{
    public bool Healthy => Status != CheckHealth.Unhealthy;

    public static ServiceHealthReport From(IEnumerable<ProbeState> states)
    {
        ArgumentNullException.ThrowIfNull(states);
        var probes = states.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
        var critical = probes.Where(p => !p.Healthy && p.Spec.Critical).ToList();
        var other = probes.Where(p => !p.Healthy && !p.Spec.Critical).ToList();
        var status = critical.Count > 0 ? CheckHealth.Unhealthy : other.Count > 0 ? CheckHealth.Degraded : CheckHealth.Healthy;
        return new ServiceHealthReport(status, probes.Count(p => p.Healthy), probes.Count, probes.Count(p => p.Status == ProbeStatus.Pending), probes, critical, other);
    }

    /// <summary>The critical probes of one site that are unhealthy (null site: the probes without a site).</summary>
    public IReadOnlyList<ProbeState> UnhealthyCriticalOf(string? site) =>
        UnhealthyCritical.Where(p => string.Equals(p.Spec.Site, site, StringComparison.OrdinalIgnoreCase)).ToList();
}
