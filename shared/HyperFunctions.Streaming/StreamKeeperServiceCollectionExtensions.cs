using HyperFunctions.Configuration;
using HyperFunctions.Hyperliquid;
using HyperFunctions.Hyperliquid.Rest;
using HyperFunctions.Hyperliquid.Socket;
using HyperFunctions.Storage;
using HyperFunctions.Storage.Failover;
using HyperFunctions.Storage.Leases;
using HyperFunctions.Storage.Ledger;
using HyperFunctions.Storage.Streaming;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace HyperFunctions.Streaming;

public static class StreamKeeperServiceCollectionExtensions
{
    /// <summary>Blob name of the keeper's leadership lease in Storage:LeaseContainer.</summary>
    public const string LeaseBlobName = "keeper/leader";

    /// <summary>
    /// Registers the Hyperliquid clients, the keeper's tables and the keeper itself as a hosted service.
    /// <paramref name="runLoop"/> false: tests drive <see cref="StreamKeeper.TickAsync"/> themselves.
    /// Needs <see cref="StorageClients"/>, <see cref="SafetyLedger"/> and <see cref="TimeProvider"/> registered.
    /// </summary>
    public static IServiceCollection AddStreamKeeper(this IServiceCollection services, IConfiguration configuration, LoadedConfiguration loaded, bool runLoop = true)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        // The keeper is the socket's only consumer, and its consumer is cheap and never blocks (memory and a
        // short lock; all I/O is on the writer tick): deliver inline, with no thread hop per message
        // (docs/performance.md). Registered before the binding, so Hyperliquid:Socket:InlineDelivery still wins.
        services.Configure<HyperFunctions.Hyperliquid.Configuration.HyperliquidOptions>(o => o.Socket.InlineDelivery = true);
        services.AddHyperliquidClients(configuration);
        services.AddSingleton(sp => new StreamFactsStore(sp.GetRequiredService<StorageClients>().Tables, loaded.Settings.Keeper.TablePrefix, loaded.Settings.Deployment.InstanceId));
        services.TryAddSingleton(sp => EligibilityFor(loaded, sp.GetRequiredService<StorageClients>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new StreamKeeper(
            loaded.Settings.Keeper,
            sp.GetRequiredService<HyperliquidSocket>(),
            sp.GetRequiredService<IHyperliquidInfoClient>(),
            sp.GetRequiredService<StreamFactsStore>(),
            new BlobLease(sp.GetRequiredService<StorageClients>().LeaseContainer, LeaseBlobName, TimeSpan.FromSeconds(loaded.Settings.Keeper.LeaseSeconds)),
            sp.GetRequiredService<SafetyLedger>(),
            loaded,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<StreamKeeper>>(),
            KeeperIdentity(),
            runLoop,
            sp.GetRequiredService<ILeadershipEligibility>()));
        services.AddSingleton(sp => new KeeperMetrics(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), sp.GetRequiredService<StreamKeeper>(), sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService(sp =>
        {
            sp.GetRequiredService<KeeperMetrics>(); // the observable instruments exist from the start
            return sp.GetRequiredService<StreamKeeper>();
        });
        return services;
    }

    /// <summary>
    /// Failover on (Failover:Sites): the keeper leads only while its Failover:Site is the active site of the state row
    /// in Failover:Table (read here, not through the function app). Failover off: every keeper may lead.
    /// </summary>
    public static ILeadershipEligibility EligibilityFor(LoadedConfiguration loaded, StorageClients storage, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        ArgumentNullException.ThrowIfNull(storage);
        var failover = loaded.Settings.Failover;
        if (!failover.Enabled) return new AlwaysEligible();
        var primary = failover.EffectiveSites[0].Name!;
        var store = new FailoverStore(storage.Tables.GetTableClient(failover.Table), loaded.Settings.Deployment.InstanceId);
        return new SiteLeadershipEligibility(new ActiveSiteReader(store, failover.Site ?? primary, primary), TimeSpan.FromSeconds(failover.ActiveSiteCacheSeconds), time);
    }

    /// <summary>machine/pid/random: unique per keeper, readable in the heartbeat.</summary>
    public static string KeeperIdentity() => $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..6]}";
}
