using System.Diagnostics;
using System.Diagnostics.Metrics;
using HyperFunctions.Domain.Failover;
using HyperFunctions.Telemetry;

namespace HyperFunctions.Functions.Failover;

/// <summary>
/// hf_failover_runs_total{kind,outcome}, hf_failover_refusals_total{kind,code},
/// hf_failover_step_duration_seconds{kind,hook,outcome}, hf_failover_state (0 PRIMARY, 1 FAILING_OVER,
/// 2 FAILED_OVER, 3 FAILING_BACK; as this process last saw it) and hf_failover_site_active (1 when this
/// process's site is the active one).
/// </summary>
public sealed class FailoverMetrics
{
    private readonly Counter<long> _runs;
    private readonly Counter<long> _refusals;
    private readonly Histogram<double> _steps;

    public FailoverMetrics(IMeterFactory meters, FailoverMemory memory, FailoverConfig config)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(config);
        var meter = meters.Create(HyperFunctionsDiagnostics.MeterName);
        _runs = meter.CreateCounter<long>("hf.failover.runs", "{run}", "Failover and failback runs by kind and outcome (dry-runs as PLANNED).");
        _refusals = meter.CreateCounter<long>("hf.failover.refusals", "{refusal}", "Refused failover/failback requests by kind and code (COOLDOWN, DAILY_CAP, PRIMARY_UNHEALTHY, RUN_IN_PROGRESS, STATE).");
        _steps = meter.CreateHistogram("hf.failover.step.duration", "s", "Duration of one failover step by kind, hook and outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Storage.Ledger.LedgerMetrics.SecondsBuckets });
        meter.CreateObservableGauge("hf.failover.state", () => memory.Snapshot().Record is { } r ? [new Measurement<int>((int)r.State)] : Array.Empty<Measurement<int>>(),
            null, "Coordinator state as this process last saw it: 0 PRIMARY, 1 FAILING_OVER, 2 FAILED_OVER, 3 FAILING_BACK.");
        meter.CreateObservableGauge("hf.failover.site.active", () => memory.Snapshot().Record is { } r
                ? [new Measurement<int>(string.Equals(r.ActiveSite, config.ThisSite, StringComparison.OrdinalIgnoreCase) ? 1 : 0, new KeyValuePair<string, object?>("site", config.ThisSite))]
                : Array.Empty<Measurement<int>>(),
            null, "1 when this process's site (Failover:Site) is the active site, 0 when passive.");
    }

    public void Ran(FailoverKind kind, RunOutcome outcome) => _runs.Add(1, new TagList { { "kind", kind.ToWire() }, { "outcome", outcome.ToWire() } });

    public void Refused(FailoverKind kind, string code) => _refusals.Add(1, new TagList { { "kind", kind.ToWire() }, { "code", code } });

    public void Step(FailoverKind kind, string hook, StepOutcome outcome, TimeSpan duration) =>
        _steps.Record(duration.TotalSeconds, new TagList { { "kind", kind.ToWire() }, { "hook", hook }, { "outcome", outcome.ToWire() } });
}
