using HyperFunctions.Hyperliquid.Configuration;
using HyperFunctions.Hyperliquid.Models;
using HyperFunctions.Hyperliquid.Policies;
using HyperFunctions.Hyperliquid.Socket;
using HyperFunctions.Simulator;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HyperFunctions.Hyperliquid.Tests.Support;

/// <summary>
/// In-process simulator and a keeper over a real loopback socket, both on ONE FakeTimeProvider:
/// the simulator's ticks and idle close and the keeper's ping, watchdog, backoff and breaker only move
/// when the test advances the clock.
/// </summary>
internal sealed class SocketHarness : IAsyncDisposable
{
    private SocketHarness(FakeTimeProvider time, HyperliquidSimulator sim, HyperliquidSocket socket)
    {
        Time = time;
        Sim = sim;
        Socket = socket;
        Log = new EventLog(socket.Events);
    }

    public FakeTimeProvider Time { get; }

    public HyperliquidSimulator Sim { get; }

    public HyperliquidSocket Socket { get; }

    public EventLog Log { get; }

    public static async Task<SocketHarness> StartAsync(Action<HyperliquidSocketOptions>? configure, params Subscription[] subscriptions)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var sim = await HyperliquidSimulator.StartAsync(new SimulatorOptions { Seed = 11, TimeProvider = time });
        var options = new HyperliquidOptions { RestUrl = sim.RestUrl, WsUrl = sim.WsUrl };
        configure?.Invoke(options.Socket);
        var socket = new HyperliquidSocket(Options.Create(options), time, new SequenceRandom(0.5), NullLogger<HyperliquidSocket>.Instance);
        var harness = new SocketHarness(time, sim, socket);
        foreach (var s in subscriptions)
        {
            await socket.SubscribeAsync(s, CancellationToken.None);
        }

        await socket.StartAsync(CancellationToken.None);
        return harness;
    }

    /// <summary>
    /// Advances the shared clock one step and waits until the keeper has received a data event stamped
    /// with the new time, so the clock never runs ahead of frames still in flight.
    /// </summary>
    public async Task StepWithDataAsync(TimeSpan step)
    {
        var from = Log.Count;
        Time.Advance(step);
        var now = Time.GetUtcNow();
        await Log.WaitForAsync<HyperliquidEvent>(e => e.IsData && e.ReceivedAt >= now, from);
    }

    /// <summary>Waits for the next RetryScheduled and advances exactly its delay.</summary>
    public async Task<ConnectionEvent> AdvanceThroughNextRetryAsync(int from)
    {
        var (_, retry) = await Log.WaitForAsync<ConnectionEvent>(c => c.Kind is ConnectionEventKind.RetryScheduled or ConnectionEventKind.CircuitOpened, from);
        if (retry.Delay is { } d && d > TimeSpan.Zero)
        {
            Time.Advance(d);
        }

        return retry;
    }

    public async ValueTask DisposeAsync()
    {
        await Socket.DisposeAsync();
        await Sim.DisposeAsync();
    }
}
