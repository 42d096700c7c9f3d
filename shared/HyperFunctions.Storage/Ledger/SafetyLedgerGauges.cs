using System.Diagnostics.Metrics;
using HyperFunctions.Domain;
using HyperFunctions.Domain.Safety;

namespace HyperFunctions.Storage.Ledger;

/// <summary>
/// Gauges read from this process's view of the ledger at each collection (no storage call): the
/// effective safety mode (one series per mode, 1 for the current; a local hold counts as HALT), the last
/// ledger version seen, whether storage is usable and whether a local hold is active.
/// </summary>
public sealed class SafetyLedgerGauges
{
    private static readonly ReasonCode[] HoldReasons = [ReasonCode.StorageUnavailable, ReasonCode.SchemaVersionMismatch];

    public SafetyLedgerGauges(SafetyLedger ledger, IMeterFactory meters, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(LedgerMetrics.MeterName);
        meter.CreateObservableGauge("hf.safety.mode", () => Modes(ledger), "{mode}",
            "Effective safety mode: 1 for the current mode, 0 for the others (a local hold is HALT; all 0 before the first read).");
        meter.CreateObservableGauge("hf.safety.ledger.version", () => ledger.LastKnown?.Version ?? 0, "{version}",
            "Ledger version of the newest state this process has read or written (0 before first contact).");
        meter.CreateObservableGauge("hf.storage.usable", () => ledger.Hold is null ? 1 : 0, "{usable}",
            "1 while this process can use the ledger's storage, 0 while it holds a local HALT.");
        meter.CreateObservableGauge("hf.safety.local_hold", () => LocalHold(ledger), "{hold}",
            "1 while this process holds a local HALT, by reason (STORAGE_UNAVAILABLE, SCHEMA_VERSION_MISMATCH).");
        meter.CreateObservableGauge("hf.storage.hold_failed_calls", () => ledger.FailedProbes, "{call}",
            "Storage calls that failed during the current local hold (0 when there is none).");
        meter.CreateObservableGauge("hf.safety.state.age", () => StateAge(ledger, time), "s",
            "Age of the safety state this process shows in GET /api/status (time since it last read or wrote the ledger); absent before first contact.");
    }

    private static IEnumerable<Measurement<double>> StateAge(SafetyLedger ledger, TimeProvider time)
    {
        if (ledger.Remembered.ReadAt is { } at) yield return new Measurement<double>(Math.Max(0, (time.GetUtcNow() - at).TotalSeconds));
    }

    private static IEnumerable<Measurement<int>> Modes(SafetyLedger ledger)
    {
        SafetyMode? current = ledger.Hold is not null ? SafetyMode.Halt : ledger.LastKnown?.Mode;
        foreach (var mode in Enum.GetValues<SafetyMode>())
            yield return new Measurement<int>(mode == current ? 1 : 0, new KeyValuePair<string, object?>("mode", mode.ToWire()));
    }

    private static IEnumerable<Measurement<int>> LocalHold(SafetyLedger ledger)
    {
        var hold = ledger.Hold;
        foreach (var reason in HoldReasons)
            yield return new Measurement<int>(hold?.Reason == reason ? 1 : 0, new KeyValuePair<string, object?>("reason", reason.ToWire()));
    }
}
