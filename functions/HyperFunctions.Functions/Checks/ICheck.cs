using HyperFunctions.Domain.Checks;

namespace HyperFunctions.Functions.Checks;

/// <summary>
/// A check in the ASP.NET Core health-check shape: it only evaluates and returns a verdict. It never talks
/// to the ledger or the alert pipeline itself: <see cref="CheckRunner"/> gives it its timeout and turns an
/// exception into an unhealthy verdict; <see cref="VerdictPublisher"/> turns the verdict into ledger
/// commands, a stored result, status and alerts. Registered with <c>AddCheck&lt;T&gt;</c>, each check is also a
/// timer function (its function.json has the schedule) and runnable by POST /api/checks/{name}/run.
/// </summary>
public interface ICheck
{
    /// <summary>The function name (its FunctionDefinitions folder), e.g. HeartbeatCheck.</summary>
    string Name { get; }

    Task<CheckVerdict> EvaluateAsync(CheckContext context, CancellationToken ct);
}

/// <param name="Now">The time the run started (from TimeProvider).</param>
/// <param name="Trigger"><c>timer</c> or <c>manual</c> (POST /api/checks/{name}/run).</param>
public sealed record CheckContext(DateTimeOffset Now, string Trigger);
