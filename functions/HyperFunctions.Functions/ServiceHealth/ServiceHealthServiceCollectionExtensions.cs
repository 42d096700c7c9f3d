using HyperFunctions.Configuration;
using HyperFunctions.Storage;

namespace HyperFunctions.Functions.ServiceHealth;

public static class ServiceHealthServiceCollectionExtensions
{
    /// <summary>The probes of ServiceHealth:Checks, their monitor (a hosted service in every process) and metrics.</summary>
    public static IServiceCollection AddServiceHealthMonitor(this IServiceCollection services, LoadedConfiguration configuration, StorageClients storage)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(storage);
        // No resilience handler and no client timeout: one attempt per run, bounded by the probe's own timeout.
        // No per-request log lines either (four every run): the monitor logs one story per episode.
        services.AddHttpClient(HttpServiceProbe.ClientName, c => c.Timeout = Timeout.InfiniteTimeSpan).RemoveAllLoggers();
        services.AddSingleton<ServiceHealthMetrics>();
        services.AddSingleton(sp => new ServiceHealthMonitor(
            ServiceProbeFactory.Create(configuration, storage, sp.GetRequiredService<IHttpClientFactory>()),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ServiceHealthMetrics>(), sp.GetRequiredService<ILogger<ServiceHealthMonitor>>(),
            sp.GetService<IHostApplicationLifetime>()));
        services.AddHostedService(sp => sp.GetRequiredService<ServiceHealthMonitor>());
        return services;
    }
}
