using System.Diagnostics;
using System.Text;
using HyperFunctions.CrashHarness;

namespace HyperFunctions.Functions.Tests.Execution;

/// <summary>
/// One run of the crash harness (tests/HyperFunctions.CrashHarness) as a real child process. Its stdout
/// carries only markers, each of which completes a task here (no polling): <see cref="Ready"/>,
/// <see cref="Crashed"/> (the crash point was reached and stands still), <see cref="Drained"/>. If the
/// process ends first, the tasks fail with what it wrote to stderr.
/// </summary>
internal sealed class CrashChild : IDisposable
{
    private const int StdErrTail = 60;
    private readonly Queue<string> _stderr = new();
    private readonly long _startedAt = Stopwatch.GetTimestamp();

    private CrashChild(ProcessStartInfo start)
    {
        Process = new Process { StartInfo = start };
        Process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { } line)
            {
                // stdout closed: the process has ended. Every marker it wrote has been seen by now.
                var failure = new InvalidOperationException($"The crash harness ended before its marker. Last stderr:\n{StdErr}");
                Ready.TrySetException(failure);
                Crashed.TrySetException(failure);
                Drained.TrySetException(failure);
                return;
            }
            if (line == Markers.Ready)
            {
                StartTime = Stopwatch.GetElapsedTime(_startedAt);
                Ready.TrySetResult();
            }
            else if (line.StartsWith(Markers.Crash + " ", StringComparison.Ordinal)) Crashed.TrySetResult(line[(Markers.Crash.Length + 1)..]);
            else if (line == Markers.Drained) Drained.TrySetResult();
        };
        Process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_stderr)
            {
                _stderr.Enqueue(e.Data);
                if (_stderr.Count > StdErrTail) _stderr.Dequeue();
            }
        };
        Process.Start();
        Process.BeginOutputReadLine();
        Process.BeginErrorReadLine();
    }

    public Process Process { get; }

    public TaskCompletionSource Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>"{point} {subject}" of the crash point reached.</summary>
    public TaskCompletionSource<string> Crashed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Drained { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>From Process.Start to the host's started marker.</summary>
    public TimeSpan? StartTime { get; private set; }

    public string StdErr
    {
        get
        {
            lock (_stderr) return string.Join('\n', _stderr);
        }
    }

    public static CrashChild Start(IReadOnlyDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "HyperFunctions.CrashHarness"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }
        return new CrashChild(start);
    }

    /// <summary>SIGKILL, as a crash: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (!Process.HasExited) Process.Kill();
        await Process.WaitForExitAsync();
    }

    public void Dispose()
    {
        if (!Process.HasExited) Process.Kill(entireProcessTree: true);
        Process.Dispose();
    }
}
