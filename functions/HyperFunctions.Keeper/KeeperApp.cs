using System.Text.Json.Serialization;
using HyperFunctions.Configuration;
using HyperFunctions.Hosting;
using HyperFunctions.Storage;
using HyperFunctions.Storage.Ledger;
using HyperFunctions.Storage.Processes;
using HyperFunctions.Streaming;
using HyperFunctions.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HyperFunctions.Keeper;

/// <summary>
/// The standalone stream keeper: the same settings file and schema as the function app, the keeper as a
/// hosted service, and a small HTTP surface: <c>/health</c> (liveness), <c>/ready</c> (tables reachable and
/// data arriving, by socket or REST fallback; a standby is ready too) and <c>/status</c> (the keeper's memory).
/// Exit codes as the function app's: 2 for invalid configuration, 0 only after a stop signal, 3 after any
/// other stop (<see cref="ProcessExit"/>), so the container platform restarts a keeper that stopped on its own.
/// </summary>
public static class KeeperApp
{
    /// <summary>Exit code for invalid configuration (the same as the function app's).</summary>
    public const int ConfigurationErrorExitCode = 2;
    public const string ServiceName = "hyperfunctions-keeper";
    internal const string ProcessName = "The stream keeper";

    /// <summary>The hosting mode in the process registry (the function app's are self-host and custom-handler).</summary>
    public const string HostingMode = "keeper";

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
        return await ProcessExit.RunAsync(app, ProcessName); // 0 only when a stop signal asked for the stop
    }

    public static async Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? customize = null)
    {
        var baseDirectory = AppContext.BaseDirectory;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = baseDirectory });
        var settingsFile = ConfigurationLoader.LocateSettingsFile(baseDirectory, Environment.GetEnvironmentVariable);
        builder.Configuration.Sources.Clear();
        if (settingsFile is not null && File.Exists(settingsFile)) builder.Configuration.AddJsonFile(settingsFile, optional: false, reloadOnChange: false);
        builder.Configuration.AddEnvironmentVariables();
        builder.Configuration.AddCommandLine(args);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        customize?.Invoke(builder);

        var configuration = await ConfigurationLoader.LoadAsync(builder.Configuration, settingsFile, requireApiKeys: false);
        builder.AddHyperFunctionsTelemetry(ServiceName);
        if (configuration.Settings.Hyperliquid is null)
            throw new ConfigurationValidationException(["Hyperliquid: the section is missing; the keeper needs the venue endpoints (Hyperliquid__RestUrl, Hyperliquid__WsUrl or Hyperliquid__Network)."]);

        var storage = new StorageClients(configuration);
        builder.Services.AddSingleton(configuration);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(storage);
        builder.Services.AddSingleton(new LedgerTableStore(storage.LedgerTable, configuration.Settings.Deployment.InstanceId));
        builder.Services.AddSingleton<SafetyLedger>();
        // A process row like the function app's (hosting mode "keeper", with its failover site), so GET /api/status lists
        // the container too. The prober boots the ledger first: the keeper's BACKFILL_WINDOW_EXCEEDED needs one.
        builder.Services.AddSingleton(sp => ProcessIdentity.ForThisProcess(HostingMode, configuration.ConfigHash, sp.GetRequiredService<TimeProvider>().GetUtcNow(),
            configuration.Settings.Failover.Enabled ? configuration.Settings.Failover.Site : null));
        builder.Services.AddSingleton(sp => new ProcessRegistry(storage.ProcessTable, configuration.Settings.Deployment.InstanceId,
            sp.GetRequiredService<ProcessIdentity>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddHostedService<LedgerProber>();
        builder.Services.AddStreamKeeper(builder.Configuration, configuration);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, KeeperJsonContext.Default));

        var app = builder.Build();
        app.MapGet("/health", () => Results.Ok(new KeeperHealth("alive")));
        app.MapGet("/ready", (StreamKeeper keeper) => keeper.Snapshot().Ready
            ? Results.Ok(new KeeperHealth("ready"))
            : Results.Json(new KeeperHealth("not ready"), KeeperJsonContext.Default.KeeperHealth, statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapGet("/status", (StreamKeeper keeper) => Results.Ok(keeper.Snapshot()));
        // Prometheus text, unauthenticated: the keeper's port is internal to its container (docs/keeper.md).
        app.MapGet(HyperFunctionsDiagnostics.MetricsPath, app.CreatePrometheusScrapeHandler());
        return app;
    }
}

public sealed record KeeperHealth(string Status);

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(KeeperHealth))]
[JsonSerializable(typeof(KeeperSnapshot))]
internal sealed partial class KeeperJsonContext : JsonSerializerContext;
