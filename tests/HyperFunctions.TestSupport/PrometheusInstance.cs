using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace HyperFunctions.TestSupport;

/// <summary>
/// A private Prometheus server (Debian's `prometheus` package) on a free loopback port with its own temp
/// data folder, and `promtool` from the same package. Found the way Azurite is: a fixed place the
/// test script installs it to (`.ci/run` runs `apt-get install prometheus`), or HF_PROMETHEUS_BIN /
/// HF_PROMTOOL_BIN; a missing binary is an error that says how to install it, never a skip.
/// </summary>
public sealed class PrometheusInstance : IAsyncDisposable
{
    private static readonly TimeSpan StartupGuard = TimeSpan.FromSeconds(60);
    private readonly string _folder = Directory.CreateTempSubdirectory("hf-prometheus-").FullName;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();
    private Process? _process;

    private PrometheusInstance()
    {
        Port = FreePort();
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    /// <summary>What Prometheus printed so far (for failure messages).</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>Starts Prometheus with <paramref name="configYaml"/> and returns once its API answers ready.</summary>
    public static async Task<PrometheusInstance> StartAsync(string configYaml)
    {
        var instance = new PrometheusInstance();
        await instance.StartCoreAsync(configYaml);
        return instance;
    }

    private async Task StartCoreAsync(string configYaml)
    {
        var config = Path.Combine(_folder, "prometheus.yml");
        await File.WriteAllTextAsync(config, configYaml);
        var start = new ProcessStartInfo(Locate("prometheus", "HF_PROMETHEUS_BIN"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(_folder, "data")}",
                     $"--web.listen-address=127.0.0.1:{Port}", "--log.level=warn",
                 })
        {
            start.ArgumentList.Add(arg);
        }
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        using var http = new HttpClient { BaseAddress = BaseAddress };
        await PollAsync(async () =>
        {
            if (process.HasExited) throw new InvalidOperationException($"Prometheus exited with {process.ExitCode}:\n{Output}");
            try
            {
                using var ready = await http.GetAsync(new Uri("-/ready", UriKind.Relative));
                return ready.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false; // not listening yet
            }
        }, StartupGuard, "Prometheus did not become ready");
    }

    /// <summary>Runs an instant query and returns the result vector (empty while the series is absent).</summary>
    public async Task<JsonArray> QueryAsync(string promql)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        var json = JsonNode.Parse(await http.GetStringAsync(new Uri("api/v1/query?query=" + Uri.EscapeDataString(promql), UriKind.Relative)))!;
        if ((string?)json["status"] != "success") throw new InvalidOperationException($"Query {promql} failed: {json}");
        return json["data"]!["result"]!.AsArray();
    }

    /// <summary>The value of a one-series result, or null while there is none.</summary>
    public async Task<double?> ScalarAsync(string promql)
    {
        var result = await QueryAsync(promql);
        return result.Count == 0 ? null : double.Parse((string)result[0]!["value"]![1]!, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Polls until <paramref name="condition"/> holds. Prometheus is another process that scrapes on its
    /// own clock, so asking it again is the only way to learn it has caught up; the guard bounds the wait.
    /// </summary>
    public static async Task PollAsync(Func<Task<bool>> condition, TimeSpan guard, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = Stopwatch.GetTimestamp() + (long)(guard.TotalSeconds * Stopwatch.Frequency);
        while (!await condition())
        {
            if (Stopwatch.GetTimestamp() > deadline) throw new TimeoutException($"{what} within {guard.TotalSeconds:F0} s.");
            await Task.Delay(100);
        }
    }

    /// <summary>Runs `promtool check metrics` on an exposition; returns its exit code and output (0 = valid, no lint problem).</summary>
    public static Task<(int ExitCode, string Output)> CheckMetricsAsync(string exposition) =>
        PromtoolAsync(exposition, "check", "metrics");

    /// <summary>Runs `promtool check config` on a configuration file's text.</summary>
    public static async Task<(int ExitCode, string Output)> CheckConfigAsync(string configYaml)
    {
        var folder = Directory.CreateTempSubdirectory("hf-promtool-").FullName;
        try
        {
            var path = Path.Combine(folder, "prometheus.yml");
            await File.WriteAllTextAsync(path, configYaml);
            return await PromtoolAsync(null, "check", "config", path);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<(int, string)> PromtoolAsync(string? stdin, params string[] args)
    {
        var start = new ProcessStartInfo(Locate("promtool", "HF_PROMTOOL_BIN"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, (await stdout + await stderr).Trim());
    }

    /// <summary>The binary from Debian's prometheus package (/usr/bin), or the path the variable names.</summary>
    public static string Locate(string name, string variable)
    {
        var configured = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrEmpty(configured))
            return File.Exists(configured) ? configured : throw new FileNotFoundException($"{variable}={configured} does not exist.");
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':', StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin"))
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException(
            $"{name} is not installed. Install Debian's prometheus package (`apt-get install prometheus`, which .ci/run does), or set {variable}.");
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            _process.Dispose();
        }
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { /* a leftover temp folder is harmless */ }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
