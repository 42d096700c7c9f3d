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
    /// with the new time, so the keeper is never a whole step behind. Other frames of the step may still
    /// be in flight: harmless for steps well below the message timeout; before a longer jump, see
    /// <see cref="SilenceAsync"/>.
    /// </summary>
    public async Task StepWithDataAsync(TimeSpan step)
    {
        var from = Log.Count;
        Time.Advance(step);
        var now = Time.GetUtcNow();
        await Log.WaitForAsync<HyperliquidEvent>(e => e.IsData && e.ReceivedAt >= now, from);
    }

    /// <summary>
    /// Silences the keeper's (first) connection and returns once nothing more can reach the keeper: the
    /// simulator has swallowed a frame queued after the fault (its one sender writes in order, so every
    /// frame queued before that one is already on the wire) and the keeper has handled every frame the
    /// simulator wrote. Only then may the clock jump past the message timeout: a frame still in flight
    /// would be handled after the jump, stamped with the new time, and move the keeper's silence
    /// deadline past the jump, where no one advances the clock again. Returns the frames written.
    /// </summary>
    public async Task<long> SilenceAsync()
    {
        // The keeper's MessagesReceived counts every session; the simulator's MessagesSent one connection.
        if (Sim.Stats.TotalConnections != 1)
        {
            throw new InvalidOperationException("SilenceAsync compares the keeper's count with its first and only connection.");
        }

        var id = Sim.Connections.Single().Id;
        var suppressedBefore = Connection(id).MessagesSuppressed;
        Sim.Faults.Silence();
        Sim.Market.Tick(); // queues a frame on every market channel without moving the clock
        await Sim.WaitUntilAsync(() => Connection(id).MessagesSuppressed > suppressedBefore, CancellationToken.None).WaitAsync(EventLog.HangGuard);
        var sent = Connection(id).MessagesSent;
        await Log.WaitUntilAsync(() => Socket.GetStatistics().MessagesReceived >= sent, $"the keeper handling the {sent} frames written before the silence");
        return sent;
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

    private SimulatorConnectionInfo Connection(long id) => Sim.Connections.Single(c => c.Id == id);
}
