using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using HyperFunctions.Domain.Checks;
using HyperFunctions.Domain.ServiceHealth;
using HyperFunctions.Functions.ServiceHealth;
using Microsoft.Extensions.Time.Testing;

namespace HyperFunctions.Functions.Tests.ServiceHealth;

/// <summary>Each probe type against a real local target, the threshold, and the timeout that keeps a hanging target from delaying anything.</summary>
public sealed class ServiceProbeTests : IDisposable
{
    private readonly ProbeKit _kit = new();

    public void Dispose() => _kit.Dispose();

    [Fact]
    public async Task Http_probe_checks_the_status_code_and_the_body_text()
    {
        await using var target = await HttpTarget.StartAsync();
        var monitor = _kit.Monitor(TimeProvider.System,
            _kit.Http("status", target.BaseUrl),
            _kit.Http("body", new Uri(target.BaseUrl, "info"), bodyContains: "universe", method: "POST", body: """{"type":"meta"}"""),
            _kit.Http("expects-204", target.BaseUrl, expected: 204));

        target.Answer(200, """{"universe":[]}""");
        foreach (var probe in monitor.Probes) await monitor.RunOnceAsync(probe, CancellationToken.None);
        Assert.Equal(ProbeStatus.Healthy, monitor.Find("status")!.Status);
        Assert.Equal(ProbeStatus.Healthy, monitor.Find("body")!.Status);
        Assert.Equal("HTTP 200 (expected 204)", monitor.Find("expects-204")!.LastError);

        target.Answer(200, """{"other":1}""");
        var body = await monitor.RunOnceAsync(monitor.Probes[1], CancellationToken.None);
        Assert.Equal(ProbeStatus.Failing, body.Status);
        Assert.StartsWith("HTTP 200 but the body does not contain the expected text", body.LastError, StringComparison.Ordinal);

        target.Answer(503, "busy");
        var status = await monitor.RunOnceAsync(monitor.Probes[0], CancellationToken.None);
        Assert.Equal("HTTP 503 (expected 200)", status.LastError);
        Assert.NotNull(status.LastDuration);
        Assert.NotNull(status.LastSuccess);
    }

    [Fact]
    public async Task Unhealthy_after_three_consecutive_failures_and_healthy_again_after_one_success()
    {
        await using var target = await HttpTarget.StartAsync();
        var monitor = _kit.Monitor(TimeProvider.System, _kit.Http("api", target.BaseUrl));
        var probe = monitor.Probes[0];

        Assert.Equal(ProbeStatus.Healthy, (await monitor.RunOnceAsync(probe, CancellationToken.None)).Status);
        target.Answer(500, "down");
        Assert.Equal((true, 1), Flags(await monitor.RunOnceAsync(probe, CancellationToken.None)));
        Assert.Equal((true, 2), Flags(await monitor.RunOnceAsync(probe, CancellationToken.None)));
        Assert.Equal(CheckHealth.Healthy, monitor.Report().Status);
        var third = await monitor.RunOnceAsync(probe, CancellationToken.None);
        Assert.Equal((false, 3), Flags(third));
        Assert.Equal(ProbeStatus.Unhealthy, third.Status);
        Assert.Equal(CheckHealth.Unhealthy, monitor.Report().Status); // critical
        Assert.Equal(["api"], monitor.Report().UnhealthyCritical.Select(p => p.Name));

        target.Answer(200, "ok");
        var back = await monitor.RunOnceAsync(probe, CancellationToken.None);
        Assert.Equal((true, 0), Flags(back));
        Assert.Equal(CheckHealth.Healthy, monitor.Report().Status);
        Assert.Equal("HTTP 500 (expected 200)", back.LastError); // the last error stays for the record
        Assert.Equal(5, target.Requests); // one request per run: no retries inside a probe

        static (bool, int) Flags(ProbeState s) => (s.Healthy, s.ConsecutiveFailures);
    }

    [Fact]
    public async Task Tcp_probe_needs_an_accepting_port()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var open = ProbeKit.Tcp("open", ((IPEndPoint)listener.LocalEndpoint).Port);
        var closed = ProbeKit.Tcp("closed", ProbeKit.ClosedPort());
        var monitor = _kit.Monitor(TimeProvider.System, open, closed);

        Assert.Null((await monitor.RunOnceAsync(open, CancellationToken.None)).LastError);
        var refused = await monitor.RunOnceAsync(closed, CancellationToken.None);
        Assert.Equal(1, refused.ConsecutiveFailures);
        Assert.Contains("ConnectionRefused", refused.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_probe_finds_a_running_process_by_name_and_notices_when_it_is_gone()
    {
        // A copy of sleep under a name no other process on this machine has.
        var dir = Directory.CreateTempSubdirectory("hf-proc-").FullName;
        var name = "hfp" + Guid.NewGuid().ToString("N")[..8];
        var exe = Path.Combine(dir, name);
        File.Copy("/bin/sleep", exe);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(exe, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        using var process = Process.Start(new ProcessStartInfo(exe, "600") { UseShellExecute = false })!;
        try
        {
            var probe = new ServiceProbe(ProbeKit.Spec("worker", ProbeKind.Process), new ProcessServiceProbe(name));
            var self = new ServiceProbe(ProbeKit.Spec("self", ProbeKind.Process), new ProcessServiceProbe(Process.GetCurrentProcess().ProcessName));
            var monitor = _kit.Monitor(TimeProvider.System, probe, self);

            Assert.Null((await monitor.RunOnceAsync(probe, CancellationToken.None)).LastError);
            Assert.Null((await monitor.RunOnceAsync(self, CancellationToken.None)).LastError);

            process.Kill();
            await process.WaitForExitAsync();
            var gone = await monitor.RunOnceAsync(probe, CancellationToken.None);
            Assert.Equal($"no process named '{name}' runs on this machine", gone.LastError);
        }
        finally
        {
            if (!process.HasExited) process.Kill();
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Keeper_health_url_is_a_process_probe_over_http()
    {
        await using var keeper = await HttpTarget.StartAsync();
        var settings = new HyperFunctions.Configuration.ServiceProbeSettings
        {
            Name = "keeper", Type = "process", KeeperHealthUrl = new Uri(keeper.BaseUrl, "health?code=SECRET").ToString(),
        };
        var probe = ServiceProbeFactory.Create(settings, "SafetyLedger", new Azure.Data.Tables.TableServiceClient("UseDevelopmentStorage=true"), _kit.Clients);
        Assert.Equal(ProbeKind.Process, probe.Spec.Kind);
        Assert.DoesNotContain("SECRET", probe.Spec.Target, StringComparison.Ordinal);
        var monitor = _kit.Monitor(TimeProvider.System, probe);

        Assert.Null((await monitor.RunOnceAsync(probe, CancellationToken.None)).LastError);
        keeper.Answer(500, "dying");
        Assert.Equal("HTTP 500 (expected 200)", (await monitor.RunOnceAsync(probe, CancellationToken.None)).LastError);
    }

    [Fact]
    public async Task An_error_never_shows_the_query_string_or_user_info_of_the_url()
    {
        var port = ProbeKit.ClosedPort();
        var probe = _kit.Http("secret", new Uri($"http://user:hunter2@127.0.0.1:{port}/health?code=SECRET"));
        var monitor = _kit.Monitor(TimeProvider.System, probe);
        var state = await monitor.RunOnceAsync(probe, CancellationToken.None);
        Assert.NotNull(state.LastError);
        Assert.DoesNotContain("SECRET", state.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", state.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hanging_target_is_cut_off_by_its_timeout_and_never_delays_another_probe()
    {
        using var hanging = new HangingTarget();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var slow = _kit.Http("slow", new Uri($"http://127.0.0.1:{hanging.Port}/health"), intervalSeconds: 10, timeoutSeconds: 5);
        var quick = ProbeKit.Tcp("quick", ((IPEndPoint)listener.LocalEndpoint).Port, intervalSeconds: 2, timeoutSeconds: 1);
        using var monitor = _kit.Monitor(time, slow, quick);
        using var stop = new CancellationTokenSource();
        await monitor.StartAsync(stop.Token);
        try
        {
            // Both runs have started: the slow probe's request sits in the hanging target, the quick one is done.
            await hanging.Accepted.WaitAsync(TimeSpan.FromSeconds(30));
            await ProbeKit.WaitUntilAsync(monitor, s => Runs(s, "quick") == 1);

            // The quick probe keeps its own 2 s interval while the slow one hangs (nothing moves but the fake clock).
            for (var expected = 2; expected <= 3; expected++)
            {
                time.Advance(TimeSpan.FromSeconds(2));
                await ProbeKit.WaitUntilAsync(monitor, s => Runs(s, "quick") == expected);
                Assert.Null(monitor.Find("slow")!.LastCheckedAt); // still in flight: it did not hold the quick one up
            }

            time.Advance(TimeSpan.FromSeconds(1)); // 5 s after the slow run began: its timeout
            var states = await ProbeKit.WaitUntilAsync(monitor, s => Runs(s, "slow") == 1);
            var cut = states.Single(s => s.Name == "slow");
            Assert.Equal("timed out after 5 s", cut.LastError);
            Assert.Equal(TimeSpan.FromSeconds(5), cut.LastDuration);
            Assert.Equal(ProbeStatus.Failing, cut.Status); // one failure of three
            Assert.Equal(3, Runs(states, "quick"));
            Assert.Equal(0, states.Single(s => s.Name == "quick").ConsecutiveFailures);
        }
        finally
        {
            await monitor.StopAsync(CancellationToken.None);
        }

        static long Runs(IReadOnlyList<ProbeState> states, string name) => states.Single(s => s.Name == name).Runs;
    }
}
