using HyperFunctions.Domain.Safety;

namespace HyperFunctions.Storage.Ledger;

/// <summary>
/// Hears of every transition this process's <see cref="SafetyLedger"/> commits, right after the commit. Called on
/// the committing thread: an implementation must return at once (hand the work to a queue of its own) and must
/// not throw; the ledger catches and logs anything it throws, and never waits on it.
/// </summary>
public interface ISafetyLedgerObserver
{
    void Applied(SafetyTransition record, SafetyState state);
}
