using HyperFunctions.Configuration;
using HyperFunctions.Domain.Alerts;
using HyperFunctions.Storage;
using HyperFunctions.Storage.Alerts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace HyperFunctions.Alerts;

public static class AlertServiceCollectionExtensions
{
    /// <summary>
    /// The alert pipeline: <see cref="IAlertSink"/> (= <see cref="AlertPipeline"/>: record and enqueue, never a network call
    /// to a receiver), the channels, the <see cref="AlertDeliverer"/> the queue function calls, and the metrics.
    /// </summary>
    /// <param name="queueName">The deliveries queue (the DeliverAlert function's queueTrigger names it).</param>
    public static IServiceCollection AddAlerts(this IServiceCollection services, LoadedConfiguration configuration, StorageClients storage, string queueName)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(storage);
        var alerts = configuration.Settings.Alerts;
        // No logging handlers: the default ones print the request URL, and a Slack webhook URL is a secret.
        services.AddHttpClient(Channels.HttpAlertChannel.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(alerts.DeliveryTimeoutSeconds)).RemoveAllLoggers();
        services.AddSingleton<AlertMetrics>();
        services.AddSingleton(new AlertTableStore(storage.Tables.GetTableClient(alerts.Table), configuration.Settings.Deployment.InstanceId));
        services.AddSingleton(sp => new AlertPipeline(
            sp.GetRequiredService<AlertTableStore>(),
            storage.Queues.GetQueueClient(queueName),
            Options(configuration),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<AlertPipeline>>(),
            sp.GetRequiredService<AlertMetrics>()));
        services.TryAddSingleton<IAlertSink>(sp => sp.GetRequiredService<AlertPipeline>()); // tests may supply their own
        services.AddSingleton<AlertChannelSet>();
        services.AddSingleton<AlertDeliverer>();
        return services;
    }

    public static AlertPipelineOptions Options(LoadedConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var alerts = configuration.Settings.Alerts;
        var enabled = (alerts.Channels ?? []).Where(c => c.Enabled).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var routes = new Dictionary<AlertLevel, IReadOnlyList<string>>();
        foreach (var (level, names) in alerts.Routes ?? [])
        {
            if (int.TryParse(level, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 4)
                routes[(AlertLevel)n] = (names ?? []).Where(enabled.Contains).ToArray();
        }
        return new AlertPipelineOptions(
            new AlertPolicy(TimeSpan.FromSeconds(alerts.ThrottleSeconds), TimeSpan.FromSeconds(alerts.EscalateAfterSeconds)),
            new AlertRouting(routes),
            TimeSpan.FromSeconds(configuration.Settings.Storage.OperationTimeoutSeconds),
            alerts.RecentLimit,
            TimeSpan.FromHours(alerts.RecentRetentionHours));
    }
}
