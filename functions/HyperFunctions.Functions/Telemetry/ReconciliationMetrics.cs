using System.Diagnostics;
using System.Diagnostics.Metrics;
using HyperFunctions.Domain;
using HyperFunctions.Domain.Reconciliation;
using HyperFunctions.Telemetry;

namespace HyperFunctions.Functions.Telemetry;

/// <summary>
/// ReconciliationCheck on the project's Meter: hf_reconciliation_runs_total{verdict},
/// hf_reconciliation_drift_max (largest relative drift of this process's last report, ratio 0–…) and
/// hf_reconciliation_symbols{verdict} (symbols per verdict in that report). No coin label: labels stay
/// bounded (docs/observability.md); the per-coin numbers are in the report and in status.
/// </summary>
public sealed class ReconciliationMetrics
{
    private readonly Counter<long> _runs;
    private volatile ReconciliationReport? _last;

    public ReconciliationMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(HyperFunctionsDiagnostics.MeterName);
        _runs = meter.CreateCounter<long>("hf.reconciliation.runs", "{run}", "ReconciliationCheck runs in this process by report verdict (OK, SETTLING, DRIFT, CRITICAL).");
        meter.CreateObservableGauge("hf.reconciliation.drift_max", () => _last is { } r ? [new Measurement<double>((double)r.Symbols.Select(s => s.Relative).DefaultIfEmpty(0m).Max())] : Array.Empty<Measurement<double>>(),
            null, "Largest relative drift |venue - local| / max(|venue|, |local|) over the symbols of this process's last reconciliation report (absent before the first).");
        meter.CreateObservableGauge("hf.reconciliation.symbols", () => _last is { } r
                ? Enum.GetValues<ReconciliationVerdict>().Select(v => new Measurement<int>(r.Symbols.Count(s => s.Verdict == v), new KeyValuePair<string, object?>("verdict", WireNames<ReconciliationVerdict>.ToWire(v))))
                : [],
            "{symbol}", "Symbols of this process's last reconciliation report by verdict.");
    }

    internal void Reported(ReconciliationReport report)
    {
        _last = report;
        _runs.Add(1, new TagList { { "verdict", WireNames<ReconciliationVerdict>.ToWire(report.Verdict) } });
    }
}
