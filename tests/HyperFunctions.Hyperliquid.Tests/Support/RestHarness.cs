using HyperFunctions.TestSupport;
using HyperFunctions.Hyperliquid.Rest;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HyperFunctions.Hyperliquid.Tests.Support;

/// <summary>DI container with the real registration, a driven clock and an optional stub primary handler.</summary>
internal sealed class RestHarness : IDisposable
{
    private readonly ServiceProvider _provider;

    public RestHarness(string restUrl, IDictionary<string, string?>? settings = null, HttpMessageHandler? primary = null, Action<IServiceCollection>? configure = null, DrivenTime? time = null)
    {
        Time = time ?? new DrivenTime();
        var values = new Dictionary<string, string?>
        {
            ["Hyperliquid:Network"] = "Simulator",
            ["Hyperliquid:RestUrl"] = restUrl,
            ["Hyperliquid:WsUrl"] = "ws://127.0.0.1:1/ws",
            ["Hyperliquid:Rest:AttemptTimeout"] = "01:00:00",
            ["Hyperliquid:Rest:TotalTimeout"] = "02:00:00",
            ["Hyperliquid:Rest:BreakerSamplingDuration"] = "03:00:00",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            values[k] = v;
        }

        var config = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Time);
        configure?.Invoke(services);
        services.AddHyperliquidClients(config);
        if (primary is not null)
        {
            services.AddHttpClient(HyperliquidServiceCollectionExtensions.InfoClientName).ConfigurePrimaryHttpMessageHandler(() => primary);
            services.AddHttpClient(HyperliquidServiceCollectionExtensions.ExchangeClientName).ConfigurePrimaryHttpMessageHandler(() => primary);
        }

        _provider = services.BuildServiceProvider(validateScopes: true);
    }

    public DrivenTime Time { get; }

    public IHyperliquidInfoClient Info => _provider.GetRequiredService<IHyperliquidInfoClient>();

    public IHyperliquidExchangeClient Exchange => _provider.GetRequiredService<IHyperliquidExchangeClient>();

    public RateLimitMonitor Monitor => _provider.GetRequiredService<RateLimitMonitor>();

    public T Get<T>()
        where T : notnull => _provider.GetRequiredService<T>();

    /// <summary>Drives the clock through retry and budget delays (never through the 1 h timeouts).</summary>
    public Task<T> DriveAsync<T>(Task<T> work) => Time.DriveAsync(work, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(20));

    public void Dispose() => _provider.Dispose();
}
