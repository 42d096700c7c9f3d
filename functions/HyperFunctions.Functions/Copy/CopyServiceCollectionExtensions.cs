using HyperFunctions.Configuration;
using HyperFunctions.Storage.Copy;
using HyperFunctions.Storage.Streaming;

namespace HyperFunctions.Functions.Copy;

public static class CopyServiceCollectionExtensions
{
    /// <summary>The copier, its cursor row (in the keeper's cursor table) and its memory for status and metrics. Registered whether or not enabled: disabled, the timer returns at once.</summary>
    public static IServiceCollection AddCopyTrading(this IServiceCollection services, LoadedConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton(sp => new CopyCursorStore(sp.GetRequiredService<StreamFactsStore>().Cursors, configuration.Settings.Deployment.InstanceId));
        services.AddSingleton<CopyTradingMonitor>();
        services.AddSingleton<CopyTrader>();
        return services;
    }
}
