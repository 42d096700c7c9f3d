using HyperFunctions.Domain.Safety;

namespace HyperFunctions.Storage.Ledger;

/// <summary>What happened to a command sent to the ledger.</summary>
public abstract record LedgerResult
{
    private LedgerResult() { }

    public sealed record Applied(SafetyState State, SafetyTransition Record) : LedgerResult;

    public sealed record Unchanged(SafetyState State, string Why) : LedgerResult;

    public sealed record Rejected(SafetyState? State, string Code, string Why) : LedgerResult;

    /// <summary>Nothing was written: the ledger cannot be used right now and the process holds a local HALT.</summary>
    public sealed record Unavailable(LocalHold Hold) : LedgerResult;
}
