using System.Globalization;
using HyperFunctions.Domain.Alerts;
using HyperFunctions.Domain.Checks;

namespace HyperFunctions.Domain.ServiceHealth;

/// <summary>
/// The ServiceHealthCheck's verdict from the probes' state. It owns no reason code and so changes no
/// ledger state: a dependency that is down is judged by the check that owns its condition (storage by
/// StorageHealthCheck, the venue feed by HeartbeatCheck and ErrorRateCheck), and the failover coordinator
/// acts on unhealthy critical probes. What it does: grade (UNHEALTHY when a critical probe is unhealthy,
/// DEGRADED when another is), and raise one level-2 (operations) notice per unhealthy probe, resolved when
/// the probe is healthy again.
/// </summary>
public static class ServiceHealthRule
{
    public const string NoticePrefix = "probe:";

    public static string NoticeKey(string probe) => NoticePrefix + probe;

    public static CheckVerdict Evaluate(string check, ServiceHealthReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var data = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["healthy"] = report.Healthy ? "true" : "false",
            ["healthyCount"] = report.HealthyCount.ToString(CultureInfo.InvariantCulture),
            ["total"] = report.Total.ToString(CultureInfo.InvariantCulture),
            ["unhealthyCritical"] = string.Join(',', report.UnhealthyCritical.Select(p => p.Name)),
            ["unhealthy"] = string.Join(',', report.UnhealthyCritical.Concat(report.UnhealthyOther).Select(p => p.Name).Order(StringComparer.Ordinal)),
        };
        var notices = report.Probes.Select(Notice).ToList();
        var summary = report.Total == 0
            ? "no service probes configured (ServiceHealth:Checks)"
            : $"{report.HealthyCount}/{report.Total} probes healthy" + (report.Pending > 0 ? $" ({report.Pending} not run yet)" : "")
              + Describe("unhealthy critical", report.UnhealthyCritical) + Describe("unhealthy", report.UnhealthyOther);
        return CheckVerdict.Of(check, report.Status, summary, notices: notices, data: data);
    }

    private static CheckNotice Notice(ProbeState p) => p.Healthy
        ? new CheckNotice(NoticeKey(p.Name), false, AlertLevel.Operations, $"Service probe {p.Name} healthy",
            $"{p.Spec.Kind.ToWire()} probe {p.Name} ({p.Spec.Target}) succeeds again.")
        : new CheckNotice(NoticeKey(p.Name), true, AlertLevel.Operations,
            $"Service probe {p.Name} unhealthy" + (p.Spec.Critical ? " (critical)" : ""),
            $"{p.Spec.Kind.ToWire()} probe {p.Name} ({p.Spec.Target}) failed {p.ConsecutiveFailures} times in a row (threshold {p.Spec.FailureThreshold}): {p.LastError}"
            + (p.Spec.Critical ? " It is critical: automatic failover may act on it." : ""));

    private static string Describe(string what, IReadOnlyList<ProbeState> probes) =>
        probes.Count == 0 ? "" : $"; {what}: " + string.Join(", ", probes.Select(p => $"{p.Name} ({p.ConsecutiveFailures} failures: {p.LastError})"));
}
