using HyperFunctions.Configuration;
using HyperFunctions.Domain.Alerts;
using HyperFunctions.Functions.Checks;
using HyperFunctions.Storage.Checks;
using HyperFunctions.CrashHarness;
using HyperFunctions.Functions;
using HyperFunctions.Functions.Execution;
using HyperFunctions.Functions.Functions.Execution;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Functions.Telemetry;
using HyperFunctions.Hyperliquid;
using HyperFunctions.Storage;
using HyperFunctions.Storage.Ledger;
using HyperFunctions.Storage.Processes;
using Microsoft.Extensions.Logging.Console;

// The crash-injection test's child process. It runs what the function app runs for an order intent in
// self-host mode — QueueListener → ExecuteOrderIntent → OrderExecutor → OrderStore / SafetyLedger /
// HyperliquidExecutionAdapter — registered by the app's own extension methods (AddExecution,
// AddHyperliquidClients), and nothing else (no HTTP server, timers, keeper, alerts), so it starts fast.
// Settings come from the shipped settings file and the environment as for the app (Storage__ConnectionString,
// Hyperliquid__RestUrl, ...), bound without the app's schema check (HarnessConfiguration: most of a start's CPU).
//
// HF_CRASH_POINT=BeforeSend|AfterSendBeforeRecord|AfterRecordBeforeDelete and HF_CRASH_OCCURRENCE=n: the n-th
// time the point is reached, "HF-CRASH <point> <subject> <CPU ms so far>" goes to stdout and that invocation stands still
// until the test kills the process. Without HF_CRASH_POINT it drains: once the order-intents queue holds no
// message at all (visible or hidden), "HF-DRAINED" goes to stdout and the process exits 0.
// HF_CRASH_LEASE_MS (default 30 000): how long a received message stays hidden, so how soon a killed process's messages come back.
// HF_CRASH_BATCH_SIZE (default 1): messages taken per poll, so how many a kill leaves hidden for the lease.
var baseDirectory = AppContext.BaseDirectory;
var crash = CrashSettings.FromEnvironment(Environment.GetEnvironmentVariable);
var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = baseDirectory });
var settingsFile = ConfigurationLoader.LocateSettingsFile(baseDirectory, Environment.GetEnvironmentVariable);
if (settingsFile is not null && File.Exists(settingsFile)) builder.Configuration.AddJsonFile(settingsFile, optional: false, reloadOnChange: false);
builder.Configuration.AddEnvironmentVariables();
builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace); // stdout carries only the markers

var configuration = HarnessConfiguration.Load(builder.Configuration, settingsFile);
var storage = new StorageClients(configuration);
var services = builder.Services;
services.AddSingleton(configuration);
services.AddSingleton(TimeProvider.System);
services.AddSingleton(ProcessIdentity.ForThisProcess("crash-harness", configuration.ConfigHash, TimeProvider.System.GetUtcNow())); // ExecutionStartup records its boot under it
services.AddSingleton(storage);
services.AddSingleton(new LedgerTableStore(storage.LedgerTable, configuration.Settings.Deployment.InstanceId));
services.AddSingleton<SafetyLedger>();
// OrderExecutor reads the FundingDelayCheck's published factor from the board; the harness runs no check, so the
// board (not started) is empty and the executor falls back to Checks:Funding:ReductionFactor, as the app does before a first run.
services.AddSingleton(new CheckResultStore(storage.Tables.GetTableClient(configuration.Settings.Checks.ResultsTable), configuration.Settings.Deployment.InstanceId));
services.AddSingleton<CheckBoard>();
services.AddSingleton<IAlertSink, DroppedAlerts>(); // RetryBudgetGuard's alerts: the harness runs no alert channel
services.AddSingleton<IExecutionCrashPoints>(new StoppingCrashPoints(crash.Point, crash.Occurrence, Console.Out));
services.AddSingleton(HostJsonSettings.Load(baseDirectory) with { MaxPollingInterval = crash.MaxPollingInterval, ProcessingLease = crash.Lease, BatchSize = crash.BatchSize });
services.AddSingleton<QueueNudge>();
services.AddHyperliquidClients(builder.Configuration);
services.AddExecution(configuration, storage);
services.AddSingleton<FunctionMetrics>();
HyperFunctionsApp.AddFunction<ExecuteOrderIntent>(services);
services.AddSingleton(sp => new FunctionCatalog(
    FunctionJsonReader.ReadAll(baseDirectory).Where(d => d.Name == nameof(ExecuteOrderIntent)),
    sp.GetServices<IFunction>()));
services.AddHostedService<QueueListener>();
if (crash.Point is null) services.AddHostedService(sp => new DrainWatcher(storage, crash.MaxPollingInterval, sp.GetRequiredService<IHostApplicationLifetime>(), Console.Out));

using var host = builder.Build();
host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(() => Console.Out.WriteLine(Markers.Ready));
await host.RunAsync();
return 0;
