using System.Diagnostics;
using System.Diagnostics.Metrics;
using HyperFunctions.Domain;
using HyperFunctions.Domain.Checks;
using HyperFunctions.Functions.Checks;
using HyperFunctions.Telemetry;

namespace HyperFunctions.Functions.Telemetry;

/// <summary>
/// Check runs on the project's Meter: hf_check_runs_total{check,health,trigger}, hf_check_duration_seconds{check}
/// and hf_check_health{check} (2 healthy, 1 degraded, 0 unhealthy; from the board, so it includes runs by
/// other replicas) with hf_check_consecutive_unhealthy{check}.
/// </summary>
public sealed class CheckMetrics
{
    private readonly Counter<long> _runs;
    private readonly Histogram<double> _duration;

    public CheckMetrics(IMeterFactory meters, CheckBoard board)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(board);
        var meter = meters.Create(HyperFunctionsDiagnostics.MeterName);
        _runs = meter.CreateCounter<long>("hf.check.runs", "{run}", "Check runs in this process by check, health (healthy, degraded, unhealthy) and trigger (timer, manual).");
        _duration = meter.CreateHistogram("hf.check.duration", "s", "Duration of a check run by check.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Storage.Ledger.LedgerMetrics.SecondsBuckets });
        meter.CreateObservableGauge("hf.check.health", () => board.All().Select(r => new Measurement<int>((int)r.Health, new KeyValuePair<string, object?>("check", r.Check))),
            null, "Last known health of each check: 2 healthy, 1 degraded, 0 unhealthy.");
        meter.CreateObservableGauge("hf.check.consecutive_unhealthy", () => board.All().Select(r => new Measurement<int>(r.ConsecutiveUnhealthy, new KeyValuePair<string, object?>("check", r.Check))),
            "{run}", "Unhealthy runs in a row of each check (0 when its last run was healthy or degraded).");
    }

    internal void Ran(CheckResult result)
    {
        _runs.Add(1, new TagList { { "check", result.Check }, { "health", WireNames<CheckHealth>.ToWire(result.Health).ToLowerInvariant() }, { "trigger", result.Trigger } });
        _duration.Record(result.DurationMs / 1000, new TagList { { "check", result.Check } });
    }
}
