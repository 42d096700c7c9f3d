using System.Net;
using Azure.Core;
using Azure.Identity;
using HyperFunctions.Dns.Providers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace HyperFunctions.Dns;

public static class DnsServiceCollectionExtensions
{
    /// <summary>
    /// The DNS switch: <see cref="DnsSwitchOptions"/> bound from <paramref name="section"/> (normally <c>Failover:Dns</c>) and
    /// validated at start, the configured <see cref="IDnsProvider"/>, the <see cref="DnsPropagationVerifier"/>, the
    /// <see cref="DnsSwitcher"/> and <see cref="DnsMetrics"/>. A caller (a test) may register before this call its own
    /// <see cref="DnsEnvironment"/>, <see cref="TimeProvider"/>, or a <see cref="TokenCredential"/> keyed
    /// <see cref="AzureDnsProvider.CredentialKey"/>; otherwise the process environment, the system clock and
    /// <see cref="DefaultAzureCredential"/> (managed identity in Azure) are used.
    /// </summary>
    public static IServiceCollection AddDnsSwitch(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        services.AddOptions<DnsSwitchOptions>().Bind(section).ValidateOnStart();
        return AddDnsSwitchServices(services);
    }

    /// <summary>The same, with options built in code (validated when first used, and at start in a host).</summary>
    public static IServiceCollection AddDnsSwitch(this IServiceCollection services, Action<DnsSwitchOptions> configure)
    {
        services.AddOptions<DnsSwitchOptions>().Configure(configure).ValidateOnStart();
        return AddDnsSwitchServices(services);
    }

    private static IServiceCollection AddDnsSwitchServices(IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(DnsEnvironment.Process);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DnsSwitchOptions>, DnsSwitchOptionsValidator>());
        services.TryAddKeyedSingleton<TokenCredential>(AzureDnsProvider.CredentialKey, (_, _) => new DefaultAzureCredential());
        services.AddMetrics();
        services.TryAddSingleton<DnsMetrics>();
        services.TryAddSingleton<DnsPropagationVerifier>();
        services.TryAddSingleton<CloudflareDnsProvider>();
        services.TryAddSingleton<DigitalOceanDnsProvider>();
        services.TryAddSingleton<AzureDnsProvider>();
        services.TryAddSingleton<IDnsProvider>(sp => sp.GetRequiredService<IOptions<DnsSwitchOptions>>().Value.Provider switch
        {
            DnsProviders.Cloudflare => sp.GetRequiredService<CloudflareDnsProvider>(),
            DnsProviders.DigitalOcean => sp.GetRequiredService<DigitalOceanDnsProvider>(),
            DnsProviders.Azure => sp.GetRequiredService<AzureDnsProvider>(),
            var other => throw new InvalidOperationException($"Failover:Dns:Provider '{other}' is not a known DNS provider."),
        });
        services.TryAddSingleton<DnsSwitcher>();

        foreach (var (clientName, provider) in new[]
                 {
                     (CloudflareDnsProvider.HttpClientName, DnsProviders.Cloudflare),
                     (DigitalOceanDnsProvider.HttpClientName, DnsProviders.DigitalOcean),
                     (AzureDnsProvider.HttpClientName, DnsProviders.Azure),
                 })
        {
            // No logging handlers: nothing about these requests (the Authorization header least of all) needs a log line;
            // the switcher logs one story per switch.
            services.AddHttpClient(clientName, (sp, client) =>
                {
                    var options = sp.GetRequiredService<IOptions<DnsSwitchOptions>>().Value;
                    client.BaseAddress = DnsProviders.ResolveBaseUrl(new DnsSwitchOptions { Provider = provider, BaseUrl = options.Provider == provider ? options.BaseUrl : null });
                    // Attempts are timed by the pipeline on the injected TimeProvider; this only bounds the whole of them.
                    client.Timeout = TimeSpan.FromSeconds(options.RequestTimeoutSeconds * 4);
                })
                .RemoveAllLoggers()
                .AddResilienceHandler("dns", static (builder, context) =>
                {
                    var options = context.ServiceProvider.GetRequiredService<IOptions<DnsSwitchOptions>>().Value;
                    // Finding and setting a record's content are idempotent, so a transient failure is retried (twice,
                    // 1 s then 2 s); a refusal (4xx, the credentials above all) never is.
                    builder.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = 2,
                        Delay = TimeSpan.FromSeconds(1),
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        ShouldHandle = static args => ValueTask.FromResult(IsTransient(args.Outcome)),
                    });
                    builder.AddTimeout(TimeSpan.FromSeconds(options.RequestTimeoutSeconds));
                });
        }
        return services;
    }

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is HttpRequestException or Polly.Timeout.TimeoutRejectedException
        || outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError };
}
