namespace HyperFunctions.Storage.Ledger;

/// <summary>
/// What this process knows without asking storage: the effective safety state, when the ledger state
/// in it was last read or written (<paramref name="ReadAt"/>, null before first contact), since when
/// storage has been usable, and how many storage calls failed during the current hold.
/// </summary>
public sealed record MemorySnapshot(EffectiveSafety Effective, DateTimeOffset? ReadAt, DateTimeOffset UsableSince, long FailedCalls)
{
    public bool StorageUsable => Effective.Hold is null;
}
