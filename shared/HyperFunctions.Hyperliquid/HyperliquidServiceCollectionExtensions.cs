using HyperFunctions.Hyperliquid.Configuration;
using HyperFunctions.Hyperliquid.Policies;
using HyperFunctions.Hyperliquid.Rest;
using HyperFunctions.Hyperliquid.Socket;
using HyperFunctions.Hyperliquid.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly.Telemetry;

namespace HyperFunctions.Hyperliquid;

/// <summary>DI registration of the Hyperliquid clients.</summary>
public static class HyperliquidServiceCollectionExtensions
{
    /// <summary>HttpClient name of the info client.</summary>
    public const string InfoClientName = "hyperliquid-info";

    /// <summary>HttpClient name of the exchange client.</summary>
    public const string ExchangeClientName = "hyperliquid-exchange";

    /// <summary>
    /// Binds and validates section <c>Hyperliquid</c> (at start), and registers
    /// <see cref="IHyperliquidInfoClient"/>, <see cref="IHyperliquidExchangeClient"/>,
    /// <see cref="RateLimitMonitor"/>, <see cref="ResponseCache"/> and <see cref="HyperliquidSocket"/>.
    /// Uses the <see cref="TimeProvider"/> registered in DI (system clock if none).
    /// </summary>
    public static IServiceCollection AddHyperliquidClients(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<HyperliquidOptions>()
            .Bind(configuration.GetSection(HyperliquidOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HyperliquidOptions>, HyperliquidOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IRandomSource>(SharedRandomSource.Instance);
        services.TryAddSingleton<WeightBudgetGate>();
        services.TryAddSingleton<RateLimitMonitor>();
        services.TryAddSingleton<ResponseCache>();
        services.TryAddTransient<RateLimitObservingHandler>();
        services.AddMetrics(); // IMeterFactory (hosts register it already; plain service collections do not)
        services.TryAddSingleton<HyperliquidMetrics>();
        services.TryAddTransient<VenueMetricsHandler>();
        services.TryAddSingleton(static sp =>
        {
            // The socket's statistics become metrics only in a process that builds the socket.
            var socket = ActivatorUtilities.CreateInstance<HyperliquidSocket>(sp);
            sp.GetRequiredService<HyperliquidMetrics>().ObserveSocket(socket);
            return socket;
        });

        services.AddHttpClient<IHyperliquidInfoClient, HyperliquidInfoClient>(InfoClientName, ConfigureClient)
            .AddResilienceHandler("pipeline", static (builder, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<HyperliquidOptions>>().Value.Rest;
                ResiliencePipelines.ConfigureInfo(builder, options, context.ServiceProvider.GetRequiredService<WeightBudgetGate>());
                ResiliencePipelines.ConfigureTelemetry(builder, context.GetOptions<TelemetryOptions>());
            })
            .Services.AddHttpClient(InfoClientName).AddHttpMessageHandler<RateLimitObservingHandler>().AddHttpMessageHandler<VenueMetricsHandler>();

        services.AddHttpClient<IHyperliquidExchangeClient, HyperliquidExchangeClient>(ExchangeClientName, ConfigureClient)
            .AddResilienceHandler("pipeline", static (builder, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<HyperliquidOptions>>().Value.Rest;
                ResiliencePipelines.ConfigureExchange(builder, options, context.ServiceProvider.GetRequiredService<WeightBudgetGate>());
                ResiliencePipelines.ConfigureTelemetry(builder, context.GetOptions<TelemetryOptions>());
            })
            .Services.AddHttpClient(ExchangeClientName).AddHttpMessageHandler<RateLimitObservingHandler>().AddHttpMessageHandler<VenueMetricsHandler>();

        return services;
    }

    private static void ConfigureClient(IServiceProvider provider, HttpClient client)
    {
        var options = provider.GetRequiredService<IOptions<HyperliquidOptions>>().Value;
        var baseUrl = options.ResolvedRestUrl.ToString();
        client.BaseAddress = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/");

        // Timeouts are enforced by the pipeline on the injected TimeProvider, not by HttpClient.
        client.Timeout = Timeout.InfiniteTimeSpan;
    }
}
