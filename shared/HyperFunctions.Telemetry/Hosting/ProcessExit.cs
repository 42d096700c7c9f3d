using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Builder;

namespace HyperFunctions.Hosting;

/// <summary>
/// The process's exit code says whether anyone asked it to stop. The Functions host restarts a custom
/// handler that exits with a non-zero code (and, after three such exits within 30 minutes, shuts itself
/// down so the platform starts afresh), but treats exit code 0 as a clean end and does not restart it
/// (azure-functions-host, Workers/ProcessManagement/WorkerProcess.cs). A handler that stopped because a
/// background service died, or because it could not listen, and then exited 0 would leave the function
/// app without a handler: every timer and queue invocation would fail until the host itself restarts.
/// So: exit 0 only after a stop signal (SIGTERM, SIGINT, SIGQUIT: the platform, the container runtime
/// or Ctrl+C asked), and <see cref="UnexpectedStop"/> after any other stop, in both hosting modes.
/// The standalone keeper follows the same rule for the same reason: a container app (or any orchestrator
/// with restart policy on-failure) restarts a container that exits non-zero, and a keeper whose loop died
/// must not end quietly with 0. Shared by every process through this project (the service defaults).
/// </summary>
public static class ProcessExit
{
    /// <summary>Stopped because a stop signal asked for it.</summary>
    public const int StoppedOnRequest = 0;

    /// <summary>
    /// Stopped or failed without being asked to: restart me. Not 200, which the host takes as an intentional
    /// restart that never counts towards its limit, so a crash loop would go unnoticed.
    /// </summary>
    public const int UnexpectedStop = 3;

    /// <summary>Runs the app until it stops and gives the exit code; listens for stop signals while it runs.</summary>
    /// <param name="app">The built app; it is started, run and disposed here.</param>
    /// <param name="what">Names the process in the stderr line ("The function app", "The stream keeper").</param>
    public static async Task<int> RunAsync(WebApplication app, string what)
    {
        using var signals = StopSignals.Listen();
        return await RunAsync(app, () => signals.Received, what);
    }

    /// <param name="app">The built app; it is started, run and disposed here.</param>
    /// <param name="stopRequested">Asked once the app has stopped: did a stop signal arrive?</param>
    /// <param name="what">Names the process in the stderr line.</param>
    public static async Task<int> RunAsync(WebApplication app, Func<bool> stopRequested, string what)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(stopRequested);
        try
        {
            await app.RunAsync();
        }
        catch (Exception ex)
        {
            // The app's loggers are disposed with it by now; stderr reaches the Functions host's (or the container's) log.
            await Console.Error.WriteLineAsync($"{what} failed: {ex.GetType().Name}: {ex.Message} Exiting with code {UnexpectedStop} so that it is restarted.");
            return UnexpectedStop;
        }
        if (stopRequested()) return StoppedOnRequest;
        await Console.Error.WriteLineAsync($"{what} stopped without a stop signal (a background service failed or something stopped it). Exiting with code {UnexpectedStop} so that it is restarted.");
        return UnexpectedStop;
    }
}

/// <summary>
/// Records whether a stop signal arrived. It only records: the generic host's own handler for the same
/// signals still stops the app. It is registered before the app starts, so it runs before the host's
/// handler (the runtime runs them in registration order today); even if it ran after, it would run long before the
/// app has finished stopping, which is when the flag is read.
/// </summary>
public sealed class StopSignals : IDisposable
{
    private readonly PosixSignalRegistration[] _registrations;
    private int _received;

    private StopSignals()
    {
        _registrations = [Register(PosixSignal.SIGTERM), Register(PosixSignal.SIGINT), Register(PosixSignal.SIGQUIT)];
    }

    public bool Received => Volatile.Read(ref _received) == 1;

    public static StopSignals Listen() => new();

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
    }

    private PosixSignalRegistration Register(PosixSignal signal) =>
        PosixSignalRegistration.Create(signal, _ => Volatile.Write(ref _received, 1));
}
