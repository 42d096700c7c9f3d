using HyperFunctions.Domain.Safety;

namespace HyperFunctions.Storage.Ledger;

/// <summary>
/// What the gate uses: the ledger's state, overridden by a local hold when there is one.
/// <see cref="Ledger"/> is the last state read (possibly stale while <see cref="Hold"/> is set).
/// </summary>
public sealed record EffectiveSafety(SafetyMode Mode, ReasonCode Reason, string Message, DateTimeOffset Since, SafetyState? Ledger, LocalHold? Hold)
{
    public static EffectiveSafety From(SafetyState? ledger, LocalHold? hold) =>
        hold is not null
            ? new EffectiveSafety(SafetyMode.Halt, hold.Reason, hold.Message, hold.Since, ledger, hold)
            : ledger is not null
                ? new EffectiveSafety(ledger.Mode, ledger.Reason, ledger.Message, ledger.Since, ledger, null)
                : throw new InvalidOperationException("The ledger has not been read yet.");
}
