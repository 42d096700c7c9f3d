using HyperFunctions.Domain.Safety;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Storage.Ledger;

namespace HyperFunctions.Functions.Functions;

/// <summary>
/// Timer: is the ledger reachable and in the schema this build writes? Unusable → the process holds a
/// local HALT (STORAGE_UNAVAILABLE or SCHEMA_VERSION_MISMATCH), and the episode is recorded once usable.
/// Usable → clears those conditions, which lifts HALT to ARMED_SAFE once storage has stayed usable for
/// the configured time (Safety:AutoRecoverFromHalt).
/// </summary>
public sealed class StorageHealthCheck(SafetyLedger ledger, TimeProvider time) : ITimerFunction
{
    private static readonly ReasonCode[] Owned = [ReasonCode.StorageUnavailable, ReasonCode.SchemaVersionMismatch];

    public string Name => nameof(StorageHealthCheck);

    public async Task<string> RunAsync(TimerInvocation invocation, CancellationToken ct)
    {
        var probe = await ledger.ProbeAsync(ct);
        if (probe.Hold is { } hold)
            return $"unhealthy: local HALT {hold.Reason.ToWire()} since {hold.Since:O}: {hold.Message}";

        // The probe has just read (and, after an outage, written) the state: no second read needed.
        var state = ledger.LastKnown;
        var outcomes = new List<string>();
        foreach (var reason in Owned)
        {
            if (state?.FindCondition(reason) is not { } condition) continue;
            // Healthy since storage came back to this process and since the condition was recorded, whichever is later.
            var healthySince = condition.RaisedAt > ledger.UsableSince ? condition.RaisedAt : ledger.UsableSince;
            var healthyFor = time.GetUtcNow() - healthySince;
            var result = await ledger.ApplyAsync(new ClearCondition(reason, healthyFor, Name, $"Storage usable and schema right for {healthyFor.TotalSeconds:F0} s."), ct);
            outcomes.Add($"{reason.ToWire()}: {Describe(result)}");
        }
        return outcomes.Count == 0 ? "healthy" : "healthy; " + string.Join("; ", outcomes);
    }

    private static string Describe(LedgerResult result) => result switch
    {
        LedgerResult.Applied a => $"cleared (now {a.State.Mode.ToWire()})",
        LedgerResult.Unchanged u => u.Why,
        LedgerResult.Rejected r => r.Why,
        LedgerResult.Unavailable u => "ledger unavailable: " + u.Hold.Message,
        _ => result.ToString(),
    };
}
