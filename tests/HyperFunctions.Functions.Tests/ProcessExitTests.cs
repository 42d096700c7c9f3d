using System.Net;
using System.Net.Sockets;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Hosting;
using HyperFunctions.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HyperFunctions.Functions.Tests;

/// <summary>
/// The Functions host does not restart a custom handler that exits 0, so the app exits 0 only when a stop
/// signal asked it to stop, and non-zero after any other stop. Both in-process (a failing background
/// service, an internal stop) and with the real executable (readiness, SIGTERM, a port already taken).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ProcessExitTests(AzuriteFixture azurite)
{
    private static readonly Dictionary<string, string?> CustomHandler = new() { ["FUNCTIONS_CUSTOMHANDLER_PORT"] = "7071", ["Api:AdminKey"] = null, ["Api:FunctionKey"] = null };

    [Fact]
    public async Task A_background_service_that_dies_stops_the_app_with_a_non_zero_exit()
    {
        var app = await TestApp.BuildAsync(azurite.ConnectionString, CustomHandler, s => s.AddHostedService<FailingService>());
        Assert.Equal(ProcessExit.UnexpectedStop, await ProcessExit.RunAsync(app, stopRequested: () => false, what: "The function app"));
    }

    [Fact]
    public async Task A_stop_nobody_signalled_is_non_zero_and_a_signalled_one_is_zero()
    {
        var unasked = await TestApp.BuildAsync(azurite.ConnectionString, CustomHandler, s => s.AddHostedService<StoppingService>());
        Assert.Equal(ProcessExit.UnexpectedStop, await ProcessExit.RunAsync(unasked, stopRequested: () => false, what: "The function app"));
        var asked = await TestApp.BuildAsync(azurite.ConnectionString, CustomHandler, s => s.AddHostedService<StoppingService>());
        Assert.Equal(ProcessExit.StoppedOnRequest, await ProcessExit.RunAsync(asked, stopRequested: () => true, what: "The function app"));
    }

    [Fact]
    public async Task The_executable_answers_the_hosts_readiness_probe_and_exits_0_on_SIGTERM()
    {
        var port = RunningProcess.FreePort();
        using var app = StartExecutable(port);
        await app.Listening.Task.WaitAsync(TimeSpan.FromSeconds(60));

        // The host polls GET / on the handler port until any HTTP answer comes back.
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var ready = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(CustomHandlerEndpoint.ReadinessText, await ready.Content.ReadAsStringAsync());

        await app.TerminateAsync();
        Assert.Equal(0, await app.ExitCodeAsync());
    }

    [Fact]
    public async Task The_executable_exits_non_zero_when_it_cannot_listen_so_the_host_restarts_it()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        using var app = StartExecutable(((IPEndPoint)taken.LocalEndpoint).Port);
        Assert.Equal(ProcessExit.UnexpectedStop, await app.ExitCodeAsync());
        Assert.Contains($"Exiting with code {ProcessExit.UnexpectedStop}", app.StdErr, StringComparison.Ordinal);
    }

    private RunningProcess StartExecutable(int port) => RunningProcess.Start("HyperFunctions.Functions", new Dictionary<string, string?>
    {
        ["HF_SETTINGS_FILE"] = null,
        ["AzureWebJobsStorage"] = null,
        ["Api__AdminKey"] = null,
        ["Api__FunctionKey"] = null,
        ["Deployment__Mode"] = null,
        ["ASPNETCORE_URLS"] = null,
        ["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Storage__ConnectionString"] = azurite.ConnectionString,
        ["Storage__LedgerTable"] = AzuriteFixture.UniqueName("Ledger"),
    });
}
