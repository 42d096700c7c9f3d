using HyperFunctions.Domain.Checks;
using HyperFunctions.Domain.ServiceHealth;
using HyperFunctions.Functions.Checks;
using HyperFunctions.Functions.ServiceHealth;

namespace HyperFunctions.Functions.Functions.Checks;

/// <summary>
/// Timer: the failover procedure's health checker, summarised. The probes themselves run all the time in
/// every process (<see cref="ServiceHealthMonitor"/>, each on its own interval); this check grades what
/// this process's monitor knows with <see cref="ServiceHealthRule"/>: UNHEALTHY when a critical probe is
/// unhealthy, DEGRADED when another is, one level-2 alert per unhealthy probe. No ledger condition: the
/// failover coordinator acts on the critical probes.
/// </summary>
public sealed class ServiceHealthCheck(ServiceHealthMonitor monitor) : ICheck
{
    public string Name => nameof(ServiceHealthCheck);

    public Task<CheckVerdict> EvaluateAsync(CheckContext context, CancellationToken ct) =>
        Task.FromResult(ServiceHealthRule.Evaluate(Name, monitor.Report()));
}
