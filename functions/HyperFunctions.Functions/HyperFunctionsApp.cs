using HyperFunctions.Alerts;
using HyperFunctions.Configuration;
using HyperFunctions.Functions.Checks;
using HyperFunctions.Functions.Copy;
using HyperFunctions.Functions.Functions.Copy;
using HyperFunctions.Functions.Execution;
using HyperFunctions.Functions.Failover;
using HyperFunctions.Functions.Functions.Failover;
using HyperFunctions.Functions.Functions.Execution;
using HyperFunctions.Functions.Functions;
using HyperFunctions.Functions.Functions.Alerts;
using HyperFunctions.Functions.Functions.Checks;
using HyperFunctions.Functions.Functions.Reconciliation;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Functions.Http;
using HyperFunctions.Functions.ServiceHealth;
using HyperFunctions.Functions.Telemetry;
using HyperFunctions.Storage;
using HyperFunctions.Storage.Ledger;
using HyperFunctions.Storage.Processes;
using HyperFunctions.Storage.Reconciliation;
using HyperFunctions.Storage.Streaming;
using HyperFunctions.Hyperliquid;
using HyperFunctions.Streaming;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HyperFunctions.Functions;

/// <summary>
/// Composes the function app. The same functions serve both hosting modes: custom handler (the
/// Functions host sets FUNCTIONS_CUSTOMHANDLER_PORT, owns triggers and checks keys) and self-host
/// (this process runs the timers and queue listeners itself and checks keys).
/// </summary>
public static class HyperFunctionsApp
{
    /// <summary>Exit code for invalid configuration.</summary>
    public const int ConfigurationErrorExitCode = 2;

    public static async Task<int> RunAsync(string[] args)
    {
        WebApplication app;
        try
        {
            app = await BuildAsync(args);
        }
        catch (ConfigurationValidationException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return ConfigurationErrorExitCode;
        }
        return await HyperFunctions.Hosting.ProcessExit.RunAsync(app, "The function app"); // 0 only when a stop signal asked for the stop
    }

    /// <param name="customize">Tests add configuration and a test server here; it runs after the standard sources, so it wins.</param>
    public static async Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? customize = null)
    {
        var baseDirectory = AppContext.BaseDirectory;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = baseDirectory });
        var settingsFile = ConfigurationLoader.LocateSettingsFile(baseDirectory, Environment.GetEnvironmentVariable);
        builder.Configuration.Sources.Clear();
        if (settingsFile is not null && File.Exists(settingsFile)) builder.Configuration.AddJsonFile(settingsFile, optional: false, reloadOnChange: false);
        builder.Configuration.AddEnvironmentVariables();
        builder.Configuration.AddCommandLine(args);
        // ASP.NET Core's request log prints full URLs, and a key may travel as ?code=: keep it out of logs.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Routing", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Http.Result", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Http.HttpResults", LogLevel.Warning); // "Setting HTTP status code …" per request
        customize?.Invoke(builder);

        var customHandlerPort = builder.Configuration[HostingInfo.CustomHandlerPortVariable];
        var hosting = new HostingInfo(string.IsNullOrWhiteSpace(customHandlerPort) ? HostingMode.SelfHost : HostingMode.CustomHandler);
        var configuration = await ConfigurationLoader.LoadAsync(builder.Configuration, settingsFile, requireApiKeys: hosting.ChecksKeys);
        if (ConfigurationLoader.ExecutionKeyErrors(configuration) is { Count: > 0 } keyErrors) throw new ConfigurationValidationException(keyErrors);
        if (ConfigurationLoader.CopyTradingErrors(configuration, VenuePositions.OwnAccountOf(configuration)) is { Count: > 0 } copyErrors) throw new ConfigurationValidationException(copyErrors);
        if (hosting.Mode == HostingMode.CustomHandler)
        {
            if (!int.TryParse(customHandlerPort, out var port) || port is < 1 or > 65535)
                throw new ConfigurationValidationException([$"{HostingInfo.CustomHandlerPortVariable}='{customHandlerPort}' is not a port number."]);
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}"); // only the Functions host on this machine calls us
        }

        builder.AddFunctionAppTelemetry();
        // Built here, not lazily, so a connection string the SDK refuses is a configuration error (exit 2).
        var storage = new StorageClients(configuration);
        if (configuration.Settings.Hyperliquid is null)
            throw new ConfigurationValidationException(["The Hyperliquid section is missing: the function app's checks (staleness, funding, error rate) need the venue endpoints."]);
        Register(builder.Services, configuration, hosting, storage, baseDirectory);
        builder.Services.AddFailoverDns(builder.Configuration); // the dns hook's switch, only with a Failover:Dns section
        if (hosting.Mode == HostingMode.SelfHost && configuration.Settings.Hosting.RunKeeper)
            builder.Services.AddStreamKeeper(builder.Configuration, configuration); // the facts GET /api/status shows come from its memory
        else
            builder.Services.AddHyperliquidClients(builder.Configuration); // the checks' REST reads (the keeper registers them itself)
        var app = builder.Build();
        app.Services.GetRequiredService<FailoverHookRegistry>(); // checks Failover:Hooks against the registered kinds: a bad kind is a configuration error (exit 2)
        MapEndpoints(app, configuration, hosting);
        return app;
    }

    private static void Register(IServiceCollection services, LoadedConfiguration configuration, HostingInfo hosting, StorageClients storage, string baseDirectory)
    {
        services.AddSingleton(configuration);
        services.AddSingleton(hosting);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(storage);
        services.AddSingleton(sp => new LedgerTableStore(storage.LedgerTable, configuration.Settings.Deployment.InstanceId));
        services.AddSingleton<SafetyLedger>();
        services.AddAlerts(configuration, storage, DeliverAlert.QueueName);
        services.AddSingleton<LedgerAlertSignaller>();
        services.AddSingleton<ISafetyLedgerObserver>(sp => sp.GetRequiredService<LedgerAlertSignaller>());
        services.AddHostedService(sp => sp.GetRequiredService<LedgerAlertSignaller>());
        services.AddSingleton(sp => ProcessIdentity.ForThisProcess(hosting.Name, configuration.ConfigHash, sp.GetRequiredService<TimeProvider>().GetUtcNow(),
            configuration.Settings.Failover.Enabled ? configuration.Settings.Failover.Site : null));
        services.AddSingleton(sp => new ProcessRegistry(storage.ProcessTable, configuration.Settings.Deployment.InstanceId,
            sp.GetRequiredService<ProcessIdentity>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(HostJsonSettings.Load(baseDirectory)); // tests may supply their own
        services.TryAddSingleton<QueueNudge>();
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Add(FailoverJsonContext.Default));

        AddFunction<GetHealth>(services);
        AddFunction<GetStatus>(services);
        AddFunction<GetSafetyHistory>(services);
        AddFunction<PromoteSafety>(services);
        AddFunction<HaltSafety>(services);
        AddFunction<ResetSafety>(services);
        AddFunction<GetMetrics>(services);
        AddFunction<DeliverAlert>(services);
        AddFunction<EscalateAlerts>(services);
        AddFunction<GetAlerts>(services);
        AddFunction<RunCheck>(services);
        AddFunction<GetLatestReconciliation>(services);
        AddFunction<GetReconciliationReport>(services);
        AddFunction<AcceptReconciliation>(services);
        AddFunction<GetServiceHealth>(services);
        AddFunction<PlaceOrder>(services);
        AddFunction<ListOrders>(services);
        AddFunction<GetOrder>(services);
        AddFunction<CancelOrder>(services);
        AddFunction<ExecuteOrderIntent>(services);
        AddFunction<ResolveUnknownOrders>(services);
        AddFunction<RefreshRestingOrders>(services);
        AddFunction<CopyTargetFills>(services);
        AddFunction<PostFailover>(services);
        AddFunction<PostFailback>(services);
        AddFunction<GetFailover>(services);
        AddFunction<GetFailoverHistory>(services);
        AddFunction<AutoFailover>(services);
        services.AddCheckFramework(configuration, storage);
        services.TryAddSingleton(new StreamFactsStore(storage.Tables, configuration.Settings.Keeper.TablePrefix, configuration.Settings.Deployment.InstanceId));
        services.AddSingleton<RequestOutcomes>();
        services.AddSingleton<BackupBookSource>();
        services.AddHttpClient(BackupBookSource.ClientName, c => c.Timeout = TimeSpan.FromSeconds(configuration.Settings.Checks.TimeoutSeconds));
        services.AddCheck<StorageHealthCheck>();
        services.AddCheck<HeartbeatCheck>();
        services.AddCheck<StalenessCheck>();
        services.AddCheck<FundingDelayCheck>();
        services.AddCheck<ErrorRateCheck>();
        services.AddSingleton(new ReconciliationStore(storage.Tables.GetTableClient(configuration.Settings.Reconciliation.Table), configuration.Settings.Deployment.InstanceId));
        services.AddSingleton<ReconciliationMetrics>();
        services.AddCheck<ReconciliationCheck>();
        services.AddServiceHealthMonitor(configuration, storage);
        services.AddCheck<ServiceHealthCheck>();
        services.AddSingleton(sp => new FunctionCatalog(
            FunctionJsonReader.ReadAll(baseDirectory).Concat(sp.GetServices<FunctionDefinition>()),
            sp.GetServices<IFunction>()));

        services.AddHostedService<LedgerProber>();
        services.AddExecution(configuration, storage); // its start-up check runs after the prober has booted the ledger
        services.AddCopyTrading(configuration);
        services.AddFailover(configuration, storage);
        services.AddSingleton(sp => new StreamFactsSource(configuration, storage, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<StreamFactsSource>>(), sp.GetService<HyperFunctions.Streaming.StreamKeeper>()));
        services.AddHostedService(sp => sp.GetRequiredService<StreamFactsSource>());
        services.AddSingleton<AlertsStatusSource>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertsStatusSource>());
        if (hosting.Mode == HostingMode.SelfHost)
        {
            if (configuration.Settings.Hosting.RunTimers) services.AddHostedService<TimerScheduler>();
            if (configuration.Settings.Hosting.RunQueues) services.AddHostedService<QueueListener>();
        }
    }

    /// <summary>Registers a function implementation; tests use it to add their own (with a FunctionDefinition singleton).</summary>
    public static void AddFunction<TFunction>(IServiceCollection services) where TFunction : class, IFunction
    {
        services.AddSingleton<TFunction>();
        services.AddSingleton<IFunction>(sp => sp.GetRequiredService<TFunction>());
    }

    private static void MapEndpoints(WebApplication app, LoadedConfiguration configuration, HostingInfo hosting)
    {
        app.Services.GetRequiredService<RequestOutcomes>(); // listens from the start, so the error-rate window sees every request
        app.UseExceptionHandler();
        app.UseFunctionAppTelemetry();
        var catalog = app.Services.GetRequiredService<FunctionCatalog>();
        foreach (var (definition, function) in catalog.OfKind<IHttpFunction>(TriggerKind.Http))
        {
            function.Map(app).AddEndpointFilter(new FunctionKeyFilter(definition, hosting, configuration)).WithName(definition.Name);
        }
        // Non-HTTP triggers are invoked by the Functions host only; in self-host mode this process runs them itself.
        if (hosting.Mode == HostingMode.CustomHandler) CustomHandlerEndpoint.Map(app, catalog);
    }
}
