namespace HyperFunctions.Storage.Ledger;

/// <summary>
/// Result of probing the ledger. <see cref="Reachable"/>: storage answered. <see cref="Hold"/>: the local
/// hold still in force, if any. <see cref="Episode"/>: the history write that recorded a hold that just
/// ended. <see cref="BootResult"/>: the boot applied during this probe (first successful contact).
/// </summary>
public sealed record StorageProbe(bool Reachable, LocalHold? Hold, LedgerResult? Episode, LedgerResult? BootResult)
{
    public bool Usable => Hold is null;
}
