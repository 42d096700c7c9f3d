using System.Text.Json.Serialization;
using HyperFunctions.Configuration;
using HyperFunctions.Hosting;
using HyperFunctions.Storage;
using HyperFunctions.Storage.Ledger;
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
        builder.Services.AddHostedService<LedgerBoot>(); // before the keeper: its BACKFILL_WINDOW_EXCEEDED needs a ledger
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

/// <summary>Boots the safety ledger as every process of the instance does (a start with the same configuration changes nothing).</summary>
internal sealed partial class LedgerBoot(SafetyLedger ledger, ILogger<LedgerBoot> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var result = await ledger.BootAsync(cancellationToken);
        LogBooted(result.GetType().Name);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1410, Level = LogLevel.Information, Message = "Keeper process: safety ledger boot {Outcome}")]
    private partial void LogBooted(string outcome);
}

public sealed record KeeperHealth(string Status);

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(KeeperHealth))]
[JsonSerializable(typeof(KeeperSnapshot))]
internal sealed partial class KeeperJsonContext : JsonSerializerContext;
