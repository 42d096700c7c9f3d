using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace HyperFunctions.TestSupport;

/// <summary>
/// A real executable from the test's output directory, its output collected; <see cref="Listening"/> is
/// signalled when Kestrel reports it is listening (no polling, no sleeps). Used to check exit codes and
/// signal handling of the hosts.
/// </summary>
public sealed class RunningProcess : IDisposable
{
    private readonly StringBuilder _stderr = new();

    private RunningProcess(Process process)
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

    /// <summary>Starts <paramref name="executable"/> (a file name in the test's output directory) with the environment given (null removes a variable).</summary>
    public static RunningProcess Start(string executable, IReadOnlyDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, executable))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }
        return new RunningProcess(Process.Start(start)!);
    }

    /// <summary>Sends SIGTERM, as a container runtime or the platform does to stop a process.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    public async Task<int> ExitCodeAsync()
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await Process.WaitForExitAsync(guard.Token);
        return Process.ExitCode;
    }

    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (!Process.HasExited) Process.Kill(entireProcessTree: true);
        Process.Dispose();
    }
}
