namespace HyperFunctions.Streaming;

/// <summary>
/// Whether this keeper may take or keep the lead. The keeper asks it on every tick before it touches the
/// lease; an ineligible keeper stays connected and hot (as a standby) and releases a lease it holds.
/// </summary>
public interface ILeadershipEligibility
{
    /// <summary>The answer now. Throws when it cannot tell (storage down): the keeper then keeps its last answer.</summary>
    Task<LeadershipEligibility> CheckAsync(CancellationToken ct);
}

/// <param name="Site">This process's site (null when failover is off).</param>
public sealed record LeadershipEligibility(bool Eligible, string? Site, string Reason)
{
    public static LeadershipEligibility Always { get; } = new(true, null, "failover is off: every keeper may lead");
}

/// <summary>Failover off: every keeper may lead (the lease alone decides).</summary>
public sealed class AlwaysEligible : ILeadershipEligibility
{
    public Task<LeadershipEligibility> CheckAsync(CancellationToken ct) => Task.FromResult(LeadershipEligibility.Always);
}
