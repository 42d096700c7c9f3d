using HyperFunctions.Configuration;
using HyperFunctions.Dns;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Storage;
using HyperFunctions.Storage.Failover;

namespace HyperFunctions.Functions.Failover;

public static class FailoverServiceCollectionExtensions
{
    /// <summary>
    /// The failover table and coordinator, the built-in hook kinds, the SITE_PASSIVE gate, the status refresher
    /// and the metrics. The functions (PostFailover, PostFailback, GetFailover, GetFailoverHistory, AutoFailover)
    /// are registered by the app with the others.
    /// </summary>
    public static IServiceCollection AddFailover(this IServiceCollection services, LoadedConfiguration configuration, StorageClients storage)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(storage);
        services.AddSingleton(new FailoverConfig(configuration));
        services.AddSingleton(new FailoverStore(storage.Tables.GetTableClient(configuration.Settings.Failover.Table), configuration.Settings.Deployment.InstanceId));
        services.AddSingleton<FailoverMemory>();
        services.AddSingleton<FailoverMetrics>();
        services.AddSingleton<SiteHealth>();
        services.AddSingleton<FailoverHookRegistry>();
        services.AddSingleton<FailoverCoordinator>();
        services.AddSingleton<ActiveSiteGate>();
        services.AddSingleton<IQueueListenGate, PassiveSiteQueueGate>();
        services.AddSingleton<FailoverStatusSource>();
        services.AddHostedService(sp => sp.GetRequiredService<FailoverStatusSource>());
        services.AddHttpClient(HttpHook.ClientName, c => c.Timeout = Timeout.InfiniteTimeSpan); // each call is bounded by its hook's timeout
        services.AddFailoverHookKind<SetSafetyModeHook>();
        services.AddFailoverHookKind<CancelAllHook>();
        services.AddFailoverHookKind<SwitchSiteHook>();
        services.AddFailoverHookKind<HttpHook>();
        services.AddFailoverHookKind<RunChecksHook>();
        services.AddFailoverHookKind<ReconcileHook>();
        services.AddFailoverHookKind<VenueConnectionHook>();
        services.AddFailoverHookKind<DnsSwitchHook>();
        return services;
    }

    /// <summary>
    /// The DNS switch the dns hook runs, only when <c>Failover:Dns</c> is configured (its options are validated at start,
    /// the token variable among them). Without the section nothing is registered, and a dns hook in Failover:Hooks is a
    /// start-up error naming the section (<see cref="DnsSwitchHook.Validate"/>).
    /// </summary>
    public static IServiceCollection AddFailoverDns(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(DnsSwitchOptions.SectionName);
        if (section.Exists()) services.AddDnsSwitch(section);
        return services;
    }

    /// <summary>Registers a hook kind (its <see cref="IFailoverHookKind.Kind"/> is the name Failover:Hooks[].Kind uses); a later one replaces an earlier one of the same name.</summary>
    public static IServiceCollection AddFailoverHookKind<THook>(this IServiceCollection services) where THook : class, IFailoverHookKind
    {
        services.AddSingleton<IFailoverHookKind, THook>();
        return services;
    }
}
