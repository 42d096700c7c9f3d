using HyperFunctions.Configuration;
using HyperFunctions.Domain.Alerts;
using HyperFunctions.Domain.Execution;
using HyperFunctions.Domain.Safety;
using HyperFunctions.Storage.Ledger;

namespace HyperFunctions.Functions.Execution;

/// <summary>
/// The retry budget of one intent (Execution:RetryBudget) and what its exhaustion does: the ledger gets
/// EXECUTION_RETRY_BUDGET_EXCEEDED at the level of Execution:RetryBudgetMode (HALT by default) and an alert is
/// signalled (key <c>execution:retry-budget:{cloid}</c>). Neither clears by itself: an operator resets the ledger.
/// </summary>
public sealed partial class RetryBudgetGuard(
    SafetyLedger ledger, IAlertSink alerts, LoadedConfiguration configuration, ExecutionMonitor monitor, TimeProvider time, ILogger<RetryBudgetGuard> logger)
{
    public const string Safe = "safe";
    public const string Halt = "halt";

    public RetryBudget Budget { get; } = new(
        TimeSpan.FromSeconds(configuration.Settings.Execution.RetryBudget.WindowSeconds), configuration.Settings.Execution.RetryBudget.MaxAttempts);

    /// <summary>The ledger level an exhausted budget raises.</summary>
    public SafetyMode Level { get; } = string.Equals(configuration.Settings.Execution.RetryBudgetMode, Safe, StringComparison.OrdinalIgnoreCase) ? SafetyMode.ArmedSafe : SafetyMode.Halt;

    public static string AlertKey(string cloid) => "execution:retry-budget:" + cloid;

    /// <summary>Raises the condition and the alert for an intent whose budget ran out; <paramref name="detail"/> says what was used and what became of the intent.</summary>
    public async Task RaiseAsync(OrderIntent intent, string detail, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(intent);
        monitor.BudgetExceeded();
        var message = $"Order {intent.Cloid} ({intent.Coin}): retry budget exceeded: {detail}";
        var result = await ledger.ApplyAsync(new RaiseCondition(ReasonCode.ExecutionRetryBudgetExceeded, Level, OrderExecutor.Actor, message), ct);
        LogExceeded(intent.Cloid, Level.ToWire(), detail, result.GetType().Name);
        await alerts.SignalAsync(new AlertSignal(AlertKey(intent.Cloid), Level == SafetyMode.Halt ? AlertLevel.EmergencyHalt : AlertLevel.Risk, true,
            $"Order {intent.Cloid} exhausted its retry budget ({ReasonCode.ExecutionRetryBudgetExceeded.ToWire()})",
            message + $" The ledger was raised to {Level.ToWire()}; nothing retries the intent automatically. See docs/execution.md, \"Retry budget\".",
            OrderExecutor.Actor, time.GetUtcNow()), ct);
    }

    [LoggerMessage(EventId = 1030, Level = LogLevel.Error, Message = "Order {Cloid}: retry budget exceeded ({Detail}); {Level} EXECUTION_RETRY_BUDGET_EXCEEDED raised ({Result}) and alerted")]
    private partial void LogExceeded(string cloid, string level, string detail, string result);
}
