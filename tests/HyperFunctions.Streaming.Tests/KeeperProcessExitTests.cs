using System.Globalization;
using System.Net;
using HyperFunctions.Hosting;
using HyperFunctions.Keeper;
using HyperFunctions.Simulator;
using HyperFunctions.Streaming.Tests.Support;
using HyperFunctions.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HyperFunctions.Streaming.Tests;

/// <summary>
/// The standalone keeper's exit codes, as the function app's (ProcessExitTests there): a container platform
/// restarts a container that exits non-zero, so the keeper exits 0 only when a stop signal asked it to
/// stop, 3 after any other stop (a background service that died, an internal stop), and 2 for invalid
/// configuration. In-process with the real keeper running, and with the real executable.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class KeeperProcessExitTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_background_service_that_dies_stops_the_keeper_with_a_non_zero_exit()
    {
        await using var sim = await HyperliquidSimulator.StartAsync(new SimulatorOptions());
        var app = await BuildAsync(sim, s => s.AddHostedService<FailingService>());
        Assert.Equal(ProcessExit.UnexpectedStop, await ProcessExit.RunAsync(app, stopRequested: () => false, KeeperApp.ProcessName));
    }

    [Fact]
    public async Task A_stop_nobody_signalled_is_non_zero_and_a_signalled_one_is_zero()
    {
        await using var sim = await HyperliquidSimulator.StartAsync(new SimulatorOptions());
        var unasked = await BuildAsync(sim, s => s.AddHostedService<StoppingService>());
        Assert.Equal(ProcessExit.UnexpectedStop, await ProcessExit.RunAsync(unasked, stopRequested: () => false, KeeperApp.ProcessName));
        var asked = await BuildAsync(sim, s => s.AddHostedService<StoppingService>());
        Assert.Equal(ProcessExit.StoppedOnRequest, await ProcessExit.RunAsync(asked, stopRequested: () => true, KeeperApp.ProcessName));
    }

    [Fact]
    public async Task The_executable_serves_health_and_exits_0_on_SIGTERM()
    {
        await using var sim = await HyperliquidSimulator.StartAsync(new SimulatorOptions());
        var port = RunningProcess.FreePort();
        using var keeper = StartExecutable(sim, port);
        await keeper.Listening.Task.WaitAsync(TimeSpan.FromSeconds(60));

        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var health = await client.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        await keeper.TerminateAsync();
        Assert.Equal(ProcessExit.StoppedOnRequest, await keeper.ExitCodeAsync());
    }

    [Fact]
    public async Task The_executable_exits_non_zero_when_it_cannot_listen()
    {
        await using var sim = await HyperliquidSimulator.StartAsync(new SimulatorOptions());
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        using var keeper = StartExecutable(sim, ((IPEndPoint)taken.LocalEndpoint).Port);
        Assert.Equal(ProcessExit.UnexpectedStop, await keeper.ExitCodeAsync());
        Assert.Contains($"Exiting with code {ProcessExit.UnexpectedStop}", keeper.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_configuration_exits_2_naming_the_key()
    {
        await using var sim = await HyperliquidSimulator.StartAsync(new SimulatorOptions());
        using var keeper = StartExecutable(sim, RunningProcess.FreePort(), new() { ["Keeper__LeaseSeconds"] = "1" });
        Assert.Equal(KeeperApp.ConfigurationErrorExitCode, await keeper.ExitCodeAsync());
        Assert.Contains("LeaseSeconds", keeper.StdErr, StringComparison.Ordinal);
    }

    private async Task<WebApplication> BuildAsync(HyperliquidSimulator sim, Action<IServiceCollection> services) =>
        await KeeperApp.BuildAsync([], b =>
        {
            b.Configuration.AddInMemoryCollection(Settings(sim).Select(kv => KeyValuePair.Create(kv.Key.Replace("__", ":", StringComparison.Ordinal), kv.Value)));
            b.WebHost.UseTestServer();
            services(b.Services);
        });

    private Dictionary<string, string?> Settings(HyperliquidSimulator sim) => new()
    {
        ["Storage__ConnectionString"] = azurite.ConnectionString,
        ["Storage__LedgerTable"] = AzuriteFixture.UniqueName("Ledger"),
        ["Storage__LeaseContainer"] = "leases-" + Guid.NewGuid().ToString("N")[..8],
        ["Hyperliquid__RestUrl"] = sim.RestUrl.ToString(),
        ["Hyperliquid__WsUrl"] = sim.WsUrl.ToString(),
        ["Keeper__TablePrefix"] = AzuriteFixture.UniqueName("K"),
    };

    private RunningProcess StartExecutable(HyperliquidSimulator sim, int port, Dictionary<string, string?>? extra = null)
    {
        var environment = Settings(sim);
        foreach (var inherited in new[] { "HF_SETTINGS_FILE", "AzureWebJobsStorage", "Deployment__Mode" }) environment[inherited] = null;
        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        foreach (var kv in extra ?? []) environment[kv.Key] = kv.Value;
        return RunningProcess.Start("HyperFunctions.Keeper", environment);
    }
}
