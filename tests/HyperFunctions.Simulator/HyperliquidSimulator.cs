using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HyperFunctions.Simulator;

/// <summary>
/// A fake Hyperliquid venue on a real socket: REST <c>POST /info</c>, <c>POST /exchange</c>, WebSocket
/// <c>/ws</c>, plus the control API under <c>/_sim</c>. Start it in-process with <see cref="StartAsync"/>.
/// </summary>
public sealed class HyperliquidSimulator : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);
    private readonly WebApplication _app;
    private readonly SimulatorComposition _parts;
    private int _disposed;

    private HyperliquidSimulator(WebApplication app, SimulatorComposition parts, int port)
    {
        _app = app;
        _parts = parts;
        Port = port;
        var host = UrlHost(parts.Options.BindAddress);
        RestUrl = new Uri($"http://{host}:{port}/");
        WsUrl = new Uri($"ws://{host}:{port}/ws");
    }

    /// <summary>Base URL of the REST API (with a trailing slash: <c>new Uri(RestUrl, "info")</c>).</summary>
    public Uri RestUrl { get; }

    /// <summary>URL of the WebSocket endpoint.</summary>
    public Uri WsUrl { get; }

    /// <summary>The bound TCP port.</summary>
    public int Port { get; }

    public SimulatorOptions Options => _parts.Options;

    /// <summary>Fault injection.</summary>
    public SimulatorFaults Faults => _parts.Faults;

    /// <summary>Market view and control.</summary>
    public SimulatorMarket Market => _parts.Market;

    /// <summary>The copy-target bot (<see cref="SimulatorOptions.CopyTargetBot"/>); null when not configured.</summary>
    public CopyTargetBot? CopyTarget => _parts.CopyTarget;

    /// <summary>Live counters.</summary>
    public SimulatorStats Stats => _parts.Stats;

    /// <summary>The local run's alert receiver (POST/GET /_sim/alerts); each arrival pulses <see cref="WaitUntilAsync"/>.</summary>
    public Http.AlertInbox Alerts => _parts.Alerts;

    /// <summary>Snapshot of the open WebSocket connections.</summary>
    public IReadOnlyList<SimulatorConnectionInfo> Connections => _parts.Registry.Snapshot().Select(c => c.Describe()).ToList();

    /// <summary>Starts a simulator. By default it binds 127.0.0.1 on a free port.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public static async Task<HyperliquidSimulator> StartAsync(SimulatorOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var parts = new SimulatorComposition(options);
        parts.Ticker.Initialize();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(options.BindAddress, options.Port));
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("HyperFunctions.Simulator", options.LogLevel);
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.Critical);
        var app = builder.Build();
        parts.MapEndpoints(app);
        try
        {
            await app.StartAsync(ct);
        }
        catch
        {
            parts.Ticker.Dispose();
            parts.Funding.Dispose();
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var simulator = new HyperliquidSimulator(app, parts, new Uri(address).Port);
        parts.Ticker.Start();
        parts.Funding.Start();
        parts.CopyTarget?.Start();
        return simulator;
    }

    /// <summary>Completes when <paramref name="condition"/> holds; re-checked after every simulator change (connections, messages, faults, ticks, requests).</summary>
    public Task WaitUntilAsync(Func<bool> condition, CancellationToken ct) => _parts.Signal.WaitUntilAsync(condition, ct);

    /// <summary>Completes when exactly <paramref name="count"/> WebSocket connections are open.</summary>
    public Task WaitForConnectionsAsync(int count, CancellationToken ct) => WaitUntilAsync(() => Stats.ActiveConnections == count, ct);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _parts.CopyTarget?.Dispose();
        _parts.Ticker.Dispose();
        _parts.Funding.Dispose();
        lock (_parts.State.Gate)
        {
            foreach (var account in _parts.State.Accounts)
            {
                account.ScheduledCancelTimer?.Dispose();
            }
        }

        _parts.Registry.AbortAll();
        using (var stop = new CancellationTokenSource(StopTimeout))
        {
            await _app.StopAsync(stop.Token);
        }

        await _app.DisposeAsync();
    }

    private static string UrlHost(IPAddress address)
    {
        if (address.Equals(IPAddress.Any))
        {
            return "127.0.0.1";
        }

        if (address.Equals(IPAddress.IPv6Any))
        {
            return "[::1]";
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
    }
}
