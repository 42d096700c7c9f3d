using HyperFunctions.Domain;
using HyperFunctions.Domain.Checks;
using HyperFunctions.Domain.Safety;

namespace HyperFunctions.Functions.Http;

/// <summary>
/// The <c>checks</c> section of GET /api/status: the worst health of all checks, how many are healthy, and
/// each check's last run. A registered check that has not run yet shows as PENDING. <see cref="Services"/>: the
/// service probes as this process's monitor sees them right now (the ServiceHealthCheck item is the last
/// timer run's summary, possibly another replica's).
/// </summary>
public sealed record ChecksView(string Overall, int Healthy, int Total, DateTimeOffset? RefreshedAt, IReadOnlyDictionary<string, CheckView> Items,
    ServiceHealthView? Services = null)
{
    public static ChecksView From(IEnumerable<string> registered, IReadOnlyList<CheckResult> results, DateTimeOffset? refreshedAt, DateTimeOffset now)
    {
        var byName = results.ToDictionary(r => r.Check, StringComparer.OrdinalIgnoreCase);
        var items = new SortedDictionary<string, CheckView>(StringComparer.Ordinal);
        foreach (var name in registered) items[name] = byName.TryGetValue(name, out var r) ? CheckView.From(r, now) : CheckView.Pending;
        var overall = items.Values.Any(v => v.Health == "UNHEALTHY") ? "UNHEALTHY"
            : items.Values.Any(v => v.Health is "DEGRADED" or "PENDING") ? "DEGRADED" : "HEALTHY";
        return new ChecksView(overall, items.Values.Count(v => v.Health == "HEALTHY"), items.Count, refreshedAt, items);
    }
}

public sealed record CheckView(
    string Health, string? Summary, DateTimeOffset? RanAt, double? AgeSeconds, string? Trigger, double? DurationMs, int ConsecutiveUnhealthy,
    DateTimeOffset? LastHealthyAt, DateTimeOffset? LastUnhealthyAt, CheckConditionView[] Conditions, CheckNoticeView[] Notices,
    IReadOnlyDictionary<string, string> Data, string? Writer)
{
    public static readonly CheckView Pending = new("PENDING", null, null, null, null, null, 0, null, null, [], [], new Dictionary<string, string>(), null);

    public static CheckView From(CheckResult r, DateTimeOffset now) => new(
        WireNames<CheckHealth>.ToWire(r.Health), r.Summary, r.RanAt, Math.Round(Math.Max(0, (now - r.RanAt).TotalSeconds), 1), r.Trigger, r.DurationMs,
        r.ConsecutiveUnhealthy, r.LastHealthyAt, r.LastUnhealthyAt,
        [.. r.Conditions.Select(c => new CheckConditionView(c.Reason.ToWire(), c.Holds, c.Level.ToWire(), (int)c.AlertLevel, c.Message, c.LastHeldAt))],
        [.. r.Notices.Where(n => n.Active).Select(n => new CheckNoticeView(n.Key, (int)n.Level, n.Title, n.Detail))],
        r.Data, r.Writer);
}

public sealed record CheckConditionView(string Reason, bool Holds, string Level, int AlertLevel, string Message, DateTimeOffset? LastHeldAt);

public sealed record CheckNoticeView(string Key, int Level, string Title, string Detail);

/// <summary>Answer to POST /api/checks/{name}/run: the run's result and a line per ledger command that did something.</summary>
public sealed record CheckRunResponse(CheckView Result, string[] Ledger);
