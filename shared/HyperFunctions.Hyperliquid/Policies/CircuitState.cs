namespace HyperFunctions.Hyperliquid.Policies;

/// <summary>State of a circuit breaker.</summary>
public enum CircuitState
{
    /// <summary>Attempts allowed.</summary>
    Closed,

    /// <summary>Attempts refused until the cool-off has passed.</summary>
    Open,

    /// <summary>Cool-off over; one trial attempt allowed.</summary>
    HalfOpen,
}
