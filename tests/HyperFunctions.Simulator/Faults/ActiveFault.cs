namespace HyperFunctions.Simulator;

/// <summary>A fault's live state: remaining count, expiry, times applied. Guarded by the faults lock.</summary>
internal sealed class ActiveFault(long id, FaultSpec spec, DateTimeOffset? expiresAt)
{
    public long Id { get; } = id;

    public FaultSpec Spec { get; } = spec;

    public DateTimeOffset? ExpiresAt { get; } = expiresAt;

    public int? Remaining { get; private set; } = spec.Count;

    public int Applied { get; private set; }

    public bool Removed { get; set; }

    public bool IsLive(DateTimeOffset now) =>
        !Removed && (ExpiresAt is null || now < ExpiresAt) && (Remaining is null || Remaining > 0);

    public bool TryConsume(DateTimeOffset now)
    {
        if (!IsLive(now))
        {
            return false;
        }

        if (Remaining is { } remaining)
        {
            Remaining = remaining - 1;
        }

        Applied++;
        return true;
    }
}
