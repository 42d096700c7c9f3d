using HyperFunctions.Domain.ServiceHealth;
using HyperFunctions.Functions.ServiceHealth;

namespace HyperFunctions.Functions.Failover;

/// <summary>
/// A site's health as this process sees it: the probes the site lists in Failover:Sites[].Checks plus the
/// critical probes assigned to it (ServiceHealth:Checks[].Site, or no Site when this process runs on it).
/// </summary>
public sealed class SiteHealth(ServiceHealthMonitor monitor, FailoverConfig config)
{
    /// <summary>The names of the probes that speak for <paramref name="site"/>.</summary>
    public IReadOnlyList<string> ProbesOf(string site)
    {
        var listed = config.Site(site)?.Checks ?? [];
        var assigned = monitor.Probes.Where(p => p.Spec.Critical && BelongsTo(p.Spec, site)).Select(p => p.Spec.Name);
        return listed.Concat(assigned).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>The site's probes that are not healthy now, with why (a probe never run, or not configured, counts as failing).</summary>
    public IReadOnlyList<string> Failing(string site) =>
        ProbesOf(site).Select(name => monitor.Find(name) switch
        {
            null => $"{name}: no such probe in ServiceHealth:Checks of this process",
            { LastCheckedAt: null } => $"{name}: not run yet",
            { Healthy: false } s => $"{name}: unhealthy ({s.ConsecutiveFailures} failures; {s.LastError})",
            { ConsecutiveFailures: > 0 } s => $"{name}: failing ({s.LastError})",
            _ => null,
        }).OfType<string>().ToList();

    /// <summary>Runs the site's probes once now and returns those that failed this run.</summary>
    public async Task<IReadOnlyList<string>> VerifyNowAsync(string site, CancellationToken ct)
    {
        var failing = new List<string>();
        foreach (var name in ProbesOf(site))
        {
            var probe = monitor.Probes.FirstOrDefault(p => string.Equals(p.Spec.Name, name, StringComparison.OrdinalIgnoreCase));
            if (probe is null)
            {
                failing.Add($"{name}: no such probe in ServiceHealth:Checks of this process");
                continue;
            }
            var after = await monitor.RunOnceAsync(probe, ct);
            if (after.ConsecutiveFailures > 0) failing.Add($"{name}: {after.LastError}");
        }
        return failing;
    }

    /// <summary>The critical probes of <paramref name="site"/> that are unhealthy (past their threshold): what automatic failover acts on.</summary>
    public IReadOnlyList<ProbeState> UnhealthyCritical(string site)
    {
        var report = monitor.Report();
        var own = string.Equals(site, config.ThisSite, StringComparison.OrdinalIgnoreCase) ? report.UnhealthyCriticalOf(null) : [];
        return report.UnhealthyCriticalOf(site).Concat(own).ToList();
    }

    private bool BelongsTo(ProbeSpec spec, string site) =>
        string.Equals(spec.Site ?? config.ThisSite, site, StringComparison.OrdinalIgnoreCase);
}
