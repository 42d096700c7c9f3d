using HyperFunctions.Domain;
using HyperFunctions.Domain.Checks;
using HyperFunctions.Domain.ServiceHealth;

namespace HyperFunctions.Functions.Http;

/// <summary>
/// GET /api/health/checks, and <c>checks.services</c> in GET /api/status: the service probes as this process's
/// monitor sees them. <see cref="Status"/>: HEALTHY, DEGRADED (a non-critical probe unhealthy) or UNHEALTHY (a
/// critical one); <see cref="Healthy"/> is "not UNHEALTHY".
/// </summary>
public sealed record ServiceHealthView(bool Healthy, string Status, int HealthyCount, int Total, int Pending, string[] UnhealthyCritical, ServiceProbeView[] Checks)
{
    public static ServiceHealthView From(ServiceHealthReport report, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new(report.Healthy, WireNames<CheckHealth>.ToWire(report.Status), report.HealthyCount, report.Total, report.Pending,
            [.. report.UnhealthyCritical.Select(p => p.Name)], [.. report.Probes.Select(p => ServiceProbeView.From(p, now))]);
    }
}

/// <summary>
/// One probe. <see cref="State"/>: PENDING (not run yet), HEALTHY, FAILING (failed fewer than
/// <see cref="FailureThreshold"/> times in a row: still healthy) or UNHEALTHY. <see cref="LastError"/> never
/// holds a URL's query string or user info.
/// </summary>
public sealed record ServiceProbeView(
    string Name, string Type, bool Critical, string? Site, string Target, string State, bool Healthy, int ConsecutiveFailures, int FailureThreshold,
    string? LastError, DateTimeOffset? LastErrorAt, DateTimeOffset? LastSuccess, double? LastDurationMs, DateTimeOffset? LastCheckedAt, double? AgeSeconds,
    double IntervalSeconds, double TimeoutSeconds)
{
    public static ServiceProbeView From(ProbeState p, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new(p.Name, p.Spec.Kind.ToWire(), p.Spec.Critical, p.Spec.Site, p.Spec.Target, WireNames<ProbeStatus>.ToWire(p.Status), p.Healthy,
            p.ConsecutiveFailures, p.Spec.FailureThreshold, p.LastError, p.LastErrorAt, p.LastSuccess,
            p.LastDuration is { } d ? Math.Round(d.TotalMilliseconds, 1) : null, p.LastCheckedAt,
            p.LastCheckedAt is { } at ? Math.Round(Math.Max(0, (now - at).TotalSeconds), 1) : null,
            p.Spec.Interval.TotalSeconds, p.Spec.Timeout.TotalSeconds);
    }
}
