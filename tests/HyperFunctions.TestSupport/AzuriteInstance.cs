using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace HyperFunctions.TestSupport;

/// <summary>
/// A private Azurite (blob, queue, table) on random free loopback ports with its own temp folder, so
/// tests never collide with a developer's running emulator. Start/Stop can be repeated on the same
/// ports and data, which is how the outage tests take storage away and bring it back.
/// </summary>
public sealed class AzuriteInstance : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static readonly TimeSpan StartupGuard = TimeSpan.FromSeconds(180); // a hang guard: node needed over 60 s to start Azurite at load 26 on 2 cores
    private readonly string _folder = Directory.CreateTempSubdirectory("hf-azurite-").FullName;
    private Process? _process;
    private TaskCompletionSource _tableClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public AzuriteInstance()
    {
        BlobPort = FreePort();
        QueuePort = FreePort();
        TablePort = FreePort();
    }

    public int BlobPort { get; }
    public int QueuePort { get; }
    public int TablePort { get; }

    public string ConnectionString =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        $"AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    public bool IsRunning => _process is { HasExited: false };

    public static async Task<AzuriteInstance> StartNewAsync()
    {
        var instance = new AzuriteInstance();
        await instance.StartAsync();
        return instance;
    }

    /// <summary>Starts Azurite and returns once all three services report they are listening.</summary>
    public async Task StartAsync()
    {
        if (IsRunning) return;
        var start = new ProcessStartInfo(LocateAzurite())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     "--silent", "--skipApiVersionCheck", "--loose", "--location", _folder,
                     "--blobHost", "127.0.0.1", "--blobPort", BlobPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--queueHost", "127.0.0.1", "--queuePort", QueuePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--tableHost", "127.0.0.1", "--tablePort", TablePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                 })
        {
            start.ArgumentList.Add(arg);
        }

        var listening = 0;
        var tableClosed = _tableClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            output.Enqueue(e.Data);
            if (e.Data.Contains("successfully listening", StringComparison.Ordinal) && Interlocked.Increment(ref listening) == 3) ready.TrySetResult();
            if (e.Data.Contains("Table service successfully closed", StringComparison.Ordinal)) tableClosed.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("Azurite exited during start-up:\n" + string.Join('\n', output)));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        try
        {
            await ready.Task.WaitAsync(StartupGuard);
        }
        catch (TimeoutException)
        {
            await StopAsync();
            throw new InvalidOperationException("Azurite did not start listening in time:\n" + string.Join('\n', output));
        }
    }

    /// <summary>
    /// Takes Azurite away and waits until its process is gone. It is asked to stop (SIGTERM) so its table
    /// data is flushed to disk, as real storage would keep it (killed outright, Azurite loses recent
    /// writes); once the table service reports it closed, the process is killed rather than waiting for
    /// idle keep-alive connections to drain.
    /// </summary>
    public async Task StopAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }
            try
            {
                await Task.WhenAny(_tableClosed.Task, _process.WaitForExitAsync()).WaitAsync(TimeSpan.FromSeconds(15));
            }
            catch (TimeoutException)
            {
                // It did not report closing in time; killing it below is all that is left.
            }
        }
        await KillAsync();
    }

    /// <summary>Freezes Azurite (SIGSTOP): connections stay open and requests hang, like a storage account that stops answering.</summary>
    public Task PauseAsync() => SignalAsync("-STOP");

    /// <summary>Thaws a paused Azurite (SIGCONT); hung requests then complete.</summary>
    public Task ResumeAsync() => SignalAsync("-CONT");

    private async Task SignalAsync(string signal)
    {
        if (_process is not { HasExited: false } process) throw new InvalidOperationException("Azurite is not running.");
        using var kill = Process.Start("kill", [signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0) throw new InvalidOperationException($"kill {signal} failed with exit code {kill.ExitCode}.");
    }

    private async Task KillAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true); // SIGKILL ends a paused process too
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { /* a leftover temp folder is harmless */ }
    }

    /// <summary>The repository's Azurite, installed by `npm ci` from package.json.</summary>
    public static string LocateAzurite()
    {
        var root = RepositoryRoot.Find();
        var path = Path.Combine(root, "node_modules", ".bin", "azurite");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"Azurite is not installed at {path}. Run `npm ci` in {root} (the test script does this).");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
