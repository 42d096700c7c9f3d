using HyperFunctions.Domain.Safety;

namespace HyperFunctions.Storage.Ledger;

/// <summary>
/// A HALT this process holds on its own because it cannot trust the ledger (unreachable, or written in
/// a layout it does not understand). Orders are refused while it holds; once the ledger is usable again
/// the episode is written to history and the hold lifts.
/// </summary>
public sealed record LocalHold(ReasonCode Reason, DateTimeOffset Since, string Message);
