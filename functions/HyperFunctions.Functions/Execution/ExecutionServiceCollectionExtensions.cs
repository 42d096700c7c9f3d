using HyperFunctions.Configuration;
using HyperFunctions.Storage;
using HyperFunctions.Storage.Execution;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HyperFunctions.Functions.Execution;

public static class ExecutionServiceCollectionExtensions
{
    /// <summary>The order table, the adapter named by Execution:Adapter (none when unknown), the executor, the UNKNOWN resolver, the resting-order refresh, the single-order cancel, the retry budget, the status refresh and the start-up check, the cancel-all (IOpenOrderCanceller) and the kill switch.</summary>
    public static IServiceCollection AddExecution(this IServiceCollection services, LoadedConfiguration configuration, StorageClients storage)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(storage);
        var settings = configuration.Settings.Execution;
        services.AddSingleton(new OrderStore(storage.Tables.GetTableClient(settings.Table), configuration.Settings.Deployment.InstanceId));
        services.AddSingleton<ExecutionMonitor>();
        services.AddSingleton<VenuePositions>();
        services.AddSingleton<HyperliquidExecutionAdapter>();
        services.AddSingleton<PaperExecutionAdapter>();
        services.AddSingleton(sp => new ExecutionAdapterChoice(settings.Adapter, settings.Adapter.ToUpperInvariant() switch
        {
            "HYPERLIQUID" => sp.GetRequiredService<HyperliquidExecutionAdapter>(),
            "PAPER" => sp.GetRequiredService<PaperExecutionAdapter>(),
            _ => null,
        }));
        services.AddSingleton<RetryBudgetGuard>();
        services.TryAddSingleton<IExecutionCrashPoints>(NoExecutionCrashPoints.Instance); // the crash-injection harness registers its own first
        services.AddSingleton<OrderExecutor>();
        services.AddSingleton<UnknownOrderResolver>();
        services.AddSingleton<RestingOrderRefresher>();
        services.AddSingleton<SingleOrderCanceller>();
        services.AddSingleton<KillSwitchMonitor>();
        services.AddSingleton<OrderCanceller>();
        services.AddSingleton<HyperFunctions.Domain.Execution.IOpenOrderCanceller>(sp => sp.GetRequiredService<OrderCanceller>());
        services.AddSingleton<KillSwitch>();
        services.AddSingleton<OrderIntentSubmitter>();
        services.AddHostedService<ExecutionStartup>();
        services.AddSingleton<ExecutionStatusSource>();
        services.AddHostedService(sp => sp.GetRequiredService<ExecutionStatusSource>());
        return services;
    }
}
