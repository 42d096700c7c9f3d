namespace HyperFunctions.Domain.Safety;

/// <summary>One append-only history row: every version of the ledger has exactly one.</summary>
/// <param name="Version">The ledger version this row created (1, 2, 3 … without gaps).</param>
/// <param name="From">Mode before; null for the first row of a new ledger.</param>
/// <param name="To">Mode after (may equal From when only the conditions or reason changed).</param>
/// <param name="Kind">What produced it (raise, clear, promote, halt, reset, boot).</param>
public sealed record SafetyTransition(
    long Version,
    SafetyMode? From,
    SafetyMode To,
    ReasonCode Reason,
    string Message,
    string Actor,
    DateTimeOffset At,
    string ConfigHash,
    string Kind);
