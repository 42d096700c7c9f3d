using HyperFunctions.Configuration;
using HyperFunctions.Domain.Safety;
using HyperFunctions.Storage.Execution;
using HyperFunctions.Storage.Ledger;
using HyperFunctions.Storage.Processes;

namespace HyperFunctions.Functions.Execution;

/// <summary>
/// At start: an Execution:Adapter that does not exist HALTs the instance through the ledger
/// (EXECUTION_ADAPTER_NOT_IMPLEMENTED), so no process trades with an adapter it does not have. With
/// Execution:Mode=dry-run the start is recorded as a boot event in the order table (the runbook's
/// emit_boot_event; GET /api/orders shows it under <c>bootEvents</c>). Registered after the ledger prober,
/// whose start boots the ledger.
/// </summary>
public sealed partial class ExecutionStartup(
    ExecutionAdapterChoice choice, SafetyLedger ledger, OrderStore orders, ProcessIdentity self, LoadedConfiguration configuration, TimeProvider time,
    ILogger<ExecutionStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (configuration.Settings.Execution.Mode == ExecutionModes.DryRun) await RecordBootEventAsync(cancellationToken);
        if (choice.Adapter is not null) return;
        var message = $"Execution:Adapter '{choice.Configured}' is not implemented (known: {HyperliquidExecutionAdapter.AdapterName}, {PaperExecutionAdapter.AdapterName}).";
        var result = await ledger.ApplyAsync(new RaiseCondition(ReasonCode.ExecutionAdapterNotImplemented, SafetyMode.Halt, OrderExecutor.Actor, message), cancellationToken);
        LogAdapterMissing(choice.Configured, result.GetType().Name);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task RecordBootEventAsync(CancellationToken ct)
    {
        var boot = new BootEvent(time.GetUtcNow(), self.ProcessId, ExecutionModes.DryRun,
            $"Process {self.ProcessId} ({self.HostingMode}, config {self.ConfigHash}) started in Execution:Mode=dry-run with the {choice.Configured} adapter: intents are judged and recorded DRY_RUN, nothing is sent.");
        try
        {
            await orders.RecordBootEventAsync(boot, ct);
            LogBoot(self.ProcessId);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // Storage down at start: the ledger holds a local HALT anyway; the start is still logged.
            LogBootNotRecorded(ex, self.ProcessId);
        }
    }

    [LoggerMessage(EventId = 1010, Level = LogLevel.Error, Message = "Execution:Adapter '{Adapter}' is not implemented: HALT EXECUTION_ADAPTER_NOT_IMPLEMENTED raised ({Result})")]
    private partial void LogAdapterMissing(string adapter, string result);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "Dry-run boot event recorded for process {Process}")]
    private partial void LogBoot(string process);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Warning, Message = "Dry-run boot event of process {Process} could not be recorded")]
    private partial void LogBootNotRecorded(Exception exception, string process);
}
