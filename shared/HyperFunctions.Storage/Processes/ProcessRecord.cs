namespace HyperFunctions.Storage.Processes;

/// <summary>One registered process as stored: its identity, when it was last seen, and when it stopped cleanly (if it did).</summary>
public sealed record ProcessRecord(ProcessIdentity Identity, DateTimeOffset LastSeen, DateTimeOffset? StoppedAt);
