using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using HyperFunctions.Domain.ServiceHealth;
using HyperFunctions.Telemetry;

namespace HyperFunctions.Functions.ServiceHealth;

/// <summary>
/// The probes on the project's Meter: hf_service_health{probe,critical} (1 healthy, 0 unhealthy; present
/// from the start), hf_service_probe_duration_seconds{probe} and hf_service_probe_failures_total{probe}.
/// Counted in every process (each runs its own probes); the probe label is a configured name (bounded).
/// </summary>
public sealed class ServiceHealthMetrics
{
    private readonly ConcurrentDictionary<string, ProbeState> _states = new(StringComparer.Ordinal);
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _failures;

    public ServiceHealthMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(HyperFunctionsDiagnostics.MeterName);
        meter.CreateObservableGauge("hf.service.health", () => _states.Values.Select(s => new Measurement<int>(s.Healthy ? 1 : 0,
                new KeyValuePair<string, object?>("probe", s.Name), new KeyValuePair<string, object?>("critical", s.Spec.Critical ? "true" : "false"))),
            null, "Service probe health in this process: 1 healthy (or not run yet), 0 unhealthy (failed FailureThreshold times in a row).");
        _duration = meter.CreateHistogram("hf.service.probe.duration", "s", "Duration of one service probe run by probe (a timed-out run counts its timeout).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Storage.Ledger.LedgerMetrics.SecondsBuckets });
        _failures = meter.CreateCounter<long>("hf.service.probe.failures", "{failure}", "Failed service probe runs by probe (each one, below the threshold too).");
    }

    internal void Track(ProbeState state) => _states[state.Name] = state;

    internal void Recorded(ProbeState state, ProbeOutcome outcome)
    {
        _states[state.Name] = state;
        _duration.Record(outcome.Duration.TotalSeconds, new TagList { { "probe", state.Name } });
        if (!outcome.Succeeded) _failures.Add(1, new TagList { { "probe", state.Name } });
    }
}
