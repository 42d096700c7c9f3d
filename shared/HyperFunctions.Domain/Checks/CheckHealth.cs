namespace HyperFunctions.Domain.Checks;

/// <summary>A check's overall outcome, as ASP.NET Core health checks grade it. Wire names: HEALTHY, DEGRADED, UNHEALTHY.</summary>
public enum CheckHealth
{
    Unhealthy = 0,
    /// <summary>Working, but not as it should (e.g. the keeper is on REST fallback): no ledger change, an alert at most.</summary>
    Degraded = 1,
    Healthy = 2,
}
