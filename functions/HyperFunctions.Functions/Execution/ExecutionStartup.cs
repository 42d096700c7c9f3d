using HyperFunctions.Domain.Safety;
using HyperFunctions.Storage.Ledger;

namespace HyperFunctions.Functions.Execution;

/// <summary>
/// At start: an Execution:Adapter that does not exist HALTs the instance through the ledger
/// (EXECUTION_ADAPTER_NOT_IMPLEMENTED), so no process trades with an adapter it does not have.
/// Registered after the ledger prober, whose start boots the ledger.
/// </summary>
public sealed partial class ExecutionStartup(ExecutionAdapterChoice choice, SafetyLedger ledger, ILogger<ExecutionStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (choice.Adapter is not null) return;
        var message = $"Execution:Adapter '{choice.Configured}' is not implemented (known: {HyperliquidExecutionAdapter.AdapterName}, {PaperExecutionAdapter.AdapterName}).";
        var result = await ledger.ApplyAsync(new RaiseCondition(ReasonCode.ExecutionAdapterNotImplemented, SafetyMode.Halt, OrderExecutor.Actor, message), cancellationToken);
        LogAdapterMissing(choice.Configured, result.GetType().Name);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1010, Level = LogLevel.Error, Message = "Execution:Adapter '{Adapter}' is not implemented: HALT EXECUTION_ADAPTER_NOT_IMPLEMENTED raised ({Result})")]
    private partial void LogAdapterMissing(string adapter, string result);
}
