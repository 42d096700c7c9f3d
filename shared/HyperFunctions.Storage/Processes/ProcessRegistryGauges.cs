using System.Diagnostics.Metrics;
using HyperFunctions.Storage.Ledger;

namespace HyperFunctions.Storage.Processes;

/// <summary>
/// The processes of this instance as this process last read them from the registry (no storage call at
/// collection): how many were seen, split by whether they run the configuration the ledger carries, so an
/// alert can fire on a rolling deploy that never finishes.
/// </summary>
public sealed class ProcessRegistryGauges
{
    public ProcessRegistryGauges(ProcessRegistry registry, SafetyLedger ledger, IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(LedgerMetrics.MeterName);
        meter.CreateObservableGauge("hf.processes", () => Processes(registry, ledger), "{process}",
            "Processes of this instance seen within Api:ProcessWindowSeconds and not stopped, by config_matches (whether each runs the configuration the ledger carries).");
    }

    private static IEnumerable<Measurement<int>> Processes(ProcessRegistry registry, SafetyLedger ledger)
    {
        var ledgerHash = ledger.LastKnown?.ConfigHash;
        var running = registry.Seen.Where(p => p.StoppedAt is null).ToList();
        var matching = running.Count(p => p.Identity.ConfigHash == ledgerHash);
        yield return new Measurement<int>(matching, new KeyValuePair<string, object?>("config_matches", "true"));
        yield return new Measurement<int>(running.Count - matching, new KeyValuePair<string, object?>("config_matches", "false"));
    }
}
