using HyperFunctions.Domain.Alerts;
using HyperFunctions.Domain.Checks;
using HyperFunctions.Domain.Safety;
using HyperFunctions.Functions.Checks;
using HyperFunctions.Storage.Ledger;

namespace HyperFunctions.Functions.Functions.Checks;

/// <summary>
/// Timer: is the ledger reachable and in the schema this build writes? Unusable → the process holds a
/// local HALT (STORAGE_UNAVAILABLE or SCHEMA_VERSION_MISMATCH) by itself, and the ledger records the episode
/// once usable again; the verdict is unhealthy with no finding (a ledger it cannot write is not told).
/// Usable → both conditions are healthy since storage came back to this process, which lifts HALT to
/// ARMED_SAFE once that has lasted the configured time (Safety:AutoRecoverFromHalt).
/// </summary>
public sealed class StorageHealthCheck(SafetyLedger ledger) : ICheck
{
    public string Name => nameof(StorageHealthCheck);

    public async Task<CheckVerdict> EvaluateAsync(CheckContext context, CancellationToken ct)
    {
        var probe = await ledger.ProbeAsync(ct);
        if (probe.Hold is { } hold)
            return CheckVerdict.Of(Name, CheckHealth.Unhealthy, $"local HALT {hold.Reason.ToWire()} since {hold.Since:O}: {hold.Message}");
        var since = ledger.UsableSince;
        return CheckVerdict.Of(Name, CheckHealth.Healthy, $"storage usable since {since:O}, schema right",
        [
            ConditionVerdict.Healthy(ReasonCode.StorageUnavailable, SafetyMode.Halt, AlertLevel.EmergencyHalt, "Storage usable.", since),
            ConditionVerdict.Healthy(ReasonCode.SchemaVersionMismatch, SafetyMode.Halt, AlertLevel.EmergencyHalt, "Schema right.", since),
        ]);
    }
}
