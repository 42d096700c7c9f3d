using System.Net;
using System.Net.Sockets;
using HyperFunctions.Domain.ServiceHealth;
using HyperFunctions.Functions.ServiceHealth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using HyperFunctions.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace HyperFunctions.Functions.Tests.ServiceHealth;

/// <summary>A real Kestrel listener on a free loopback port answering every path with a status and body the test sets.</summary>
internal sealed class HttpTarget : IAsyncDisposable
{
    private volatile int _status = 200;
    private volatile string _body = """{"status":"ok"}""";
    private LoopbackEndpoint _endpoint = null!;

    public Uri BaseUrl => _endpoint.BaseUrl;

    public int Requests;

    public void Answer(int status, string body)
    {
        _status = status;
        _body = body;
    }

    public static async Task<HttpTarget> StartAsync()
    {
        var target = new HttpTarget();
        target._endpoint = await LoopbackEndpoint.StartAsync(async context =>
        {
            Interlocked.Increment(ref target.Requests);
            context.Response.StatusCode = target._status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(target._body, context.RequestAborted);
        });
        return target;
    }

    public ValueTask DisposeAsync() => _endpoint.DisposeAsync();
}

/// <summary>A TCP listener that accepts every connection and never answers; <see cref="Accepted"/> signals the first.</summary>
internal sealed class HangingTarget : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> _held = [];
    private readonly TaskCompletionSource _accepted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();

    public HangingTarget()
    {
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public Task Accepted => _accepted.Task;

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                lock (_held) _held.Add(client); // held open, never read or answered
                _accepted.TrySetResult();
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_held) foreach (var c in _held) c.Dispose();
        _stop.Dispose();
    }
}

/// <summary>The probe parts the function app wires, built the same way for a test: the named HTTP client, metrics, a monitor.</summary>
internal sealed class ProbeKit : IDisposable
{
    private readonly ServiceProvider _services;

    public ProbeKit()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMetrics();
        services.AddHttpClient(HttpServiceProbe.ClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<ServiceHealthMetrics>();
        _services = services.BuildServiceProvider();
    }

    public IHttpClientFactory Clients => _services.GetRequiredService<IHttpClientFactory>();

    public ServiceHealthMonitor Monitor(TimeProvider time, params ServiceProbe[] probes) =>
        new(probes, time, _services.GetRequiredService<ServiceHealthMetrics>(), NullLogger<ServiceHealthMonitor>.Instance);

    public static ProbeSpec Spec(string name, ProbeKind kind, int threshold = 3, int intervalSeconds = 10, int timeoutSeconds = 5, bool critical = true) =>
        new(name, kind, critical, threshold, TimeSpan.FromSeconds(intervalSeconds), TimeSpan.FromSeconds(timeoutSeconds), name);

    public ServiceProbe Http(string name, Uri url, int threshold = 3, int expected = 200, string? bodyContains = null, string method = "GET", string? body = null,
        int intervalSeconds = 10, int timeoutSeconds = 5) =>
        new(Spec(name, ProbeKind.Http, threshold, intervalSeconds, timeoutSeconds), new HttpServiceProbe(Clients, url, new HttpMethod(method), body, expected, bodyContains));

    public static ServiceProbe Tcp(string name, int port, int intervalSeconds = 10, int timeoutSeconds = 5) =>
        new(Spec(name, ProbeKind.Tcp, intervalSeconds: intervalSeconds, timeoutSeconds: timeoutSeconds), new TcpServiceProbe("127.0.0.1", port));

    public void Dispose() => _services.Dispose();

    /// <summary>Waits (on the monitor's change signal, with a hang guard) until the states satisfy <paramref name="condition"/>.</summary>
    public static async Task<IReadOnlyList<ProbeState>> WaitUntilAsync(ServiceHealthMonitor monitor, Func<IReadOnlyList<ProbeState>, bool> condition, int guardSeconds = 30)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(guardSeconds));
        while (true)
        {
            var changed = monitor.Changed;
            var states = monitor.States();
            if (condition(states)) return states;
            await changed.WaitAsync(guard.Token);
        }
    }

    /// <summary>A TCP port nothing listens on (bound, then released).</summary>
    public static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
