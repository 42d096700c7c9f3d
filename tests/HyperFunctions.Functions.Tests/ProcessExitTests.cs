using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using HyperFunctions.Functions.Hosting;
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
        Assert.Equal(ProcessExit.UnexpectedStop, await ProcessExit.RunAsync(app, stopRequested: () => false));
    }

    [Fact]
    public async Task A_stop_nobody_signalled_is_non_zero_and_a_signalled_one_is_zero()
    {
        var unasked = await TestApp.BuildAsync(azurite.ConnectionString, CustomHandler, s => s.AddHostedService<StoppingService>());
        Assert.Equal(ProcessExit.UnexpectedStop, await ProcessExit.RunAsync(unasked, stopRequested: () => false));
        var asked = await TestApp.BuildAsync(azurite.ConnectionString, CustomHandler, s => s.AddHostedService<StoppingService>());
        Assert.Equal(ProcessExit.StoppedOnRequest, await ProcessExit.RunAsync(asked, stopRequested: () => true));
    }

    [Fact]
    public async Task The_executable_answers_the_hosts_readiness_probe_and_exits_0_on_SIGTERM()
    {
        var port = FreePort();
        using var app = StartExecutable(port);
        await app.Listening.Task.WaitAsync(TimeSpan.FromSeconds(60));

        // The host polls GET / on the handler port until any HTTP answer comes back.
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var ready = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(CustomHandlerEndpoint.ReadinessText, await ready.Content.ReadAsStringAsync());

        using var kill = Process.Start("kill", ["-TERM", app.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
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

    private RunningApp StartExecutable(int port)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "HyperFunctions.Functions"))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var inherited in new[] { "HF_SETTINGS_FILE", "AzureWebJobsStorage", "Api__AdminKey", "Api__FunctionKey", "Deployment__Mode", "ASPNETCORE_URLS" })
            start.Environment.Remove(inherited);
        start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Storage__ConnectionString"] = azurite.ConnectionString;
        start.Environment["Storage__LedgerTable"] = AzuriteFixture.UniqueName("Ledger");
        return new RunningApp(Process.Start(start)!);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>The real executable, its output collected; signals when Kestrel reports it is listening.</summary>
    private sealed class RunningApp : IDisposable
    {
        private readonly System.Text.StringBuilder _stderr = new();

        public RunningApp(Process process)
        {
            Process = process;
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data?.Contains("Now listening on", StringComparison.Ordinal) == true) Listening.TrySetResult();
            };
            process.ErrorDataReceived += (_, e) =>
            {
                lock (_stderr) _stderr.AppendLine(e.Data);
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public Process Process { get; }

        public TaskCompletionSource Listening { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string StdErr
        {
            get
            {
                lock (_stderr) return _stderr.ToString();
            }
        }

        public async Task<int> ExitCodeAsync()
        {
            using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await Process.WaitForExitAsync(guard.Token);
            return Process.ExitCode;
        }

        public void Dispose()
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
            Process.Dispose();
        }
    }

    private sealed class FailingService : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            throw new InvalidOperationException("a background loop died");
        }
    }

    private sealed class StoppingService(IHostApplicationLifetime lifetime) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            lifetime.ApplicationStarted.Register(lifetime.StopApplication);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
