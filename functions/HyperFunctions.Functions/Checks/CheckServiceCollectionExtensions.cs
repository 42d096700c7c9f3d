using HyperFunctions.Configuration;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Storage;
using HyperFunctions.Storage.Checks;
using HyperFunctions.Functions.Telemetry;

namespace HyperFunctions.Functions.Checks;

public static class CheckServiceCollectionExtensions
{
    /// <summary>The runner, publisher, result store and status board every check shares.</summary>
    public static IServiceCollection AddCheckFramework(this IServiceCollection services, LoadedConfiguration configuration, StorageClients storage)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(storage);
        services.AddSingleton(new CheckResultStore(storage.Tables.GetTableClient(configuration.Settings.Checks.ResultsTable), configuration.Settings.Deployment.InstanceId));
        services.AddSingleton<CheckBoard>();
        services.AddHostedService(sp => sp.GetRequiredService<CheckBoard>());
        services.AddSingleton<CheckMetrics>();
        services.AddSingleton<VerdictPublisher>();
        services.AddSingleton<CheckRunner>();
        return services;
    }

    /// <summary>Registers a check: as <see cref="ICheck"/> (POST /api/checks/{name}/run finds it) and as the timer function of the same name.</summary>
    public static IServiceCollection AddCheck<TCheck>(this IServiceCollection services) where TCheck : class, ICheck
    {
        services.AddSingleton<TCheck>();
        services.AddSingleton<ICheck>(sp => sp.GetRequiredService<TCheck>());
        services.AddSingleton<IFunction>(sp => new CheckTimerFunction(sp.GetRequiredService<TCheck>(), sp.GetRequiredService<CheckRunner>()));
        return services;
    }
}
