using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using HyperFunctions.Hyperliquid.Models;

namespace HyperFunctions.Benchmarks;

/// <summary>
/// Messages per second over loopback from the same recorded stream: the keeper (parse to typed events,
/// gap tracking, channel, consumer applies them) against a bare ClientWebSocket + Utf8JsonReader loop
/// that only tokenises each frame. One operation = one message.
/// </summary>
public class StreamThroughputBenchmarks : IAsyncDisposable
{
    private const int Messages = 20_000;
    private static readonly byte[] Subscribe = Encoding.UTF8.GetBytes("{\"method\":\"subscribe\",\"subscription\":{\"type\":\"l2Book\",\"coin\":\"BTC\"}}");
    private BlastServer? _server;

    /// <summary>Whether the keeper delivers events inline on its receive loop.</summary>
    [Params(false, true)]
    public bool InlineDelivery { get; set; }

    [GlobalSetup]
    public void Setup() => _server = BlastServer.StartAsync(RecordedStream.Create(Messages)).GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages)]
    public async Task<long> BareClientWebSocketUtf8JsonReader()
    {
        using var ws = new ClientWebSocket();
        await ws.ConnectAsync(_server!.WsUrl, CancellationToken.None);
        await ws.SendAsync(Subscribe, WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[256 * 1024];
        var received = 0;
        long tokens = 0;
        while (received < Messages)
        {
            var length = 0;
            ValueWebSocketReceiveResult r;
            do
            {
                r = await ws.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                length += r.Count;
            }
            while (!r.EndOfMessage);

            if (buffer[0] != (byte)'{')
            {
                continue; // greeting
            }

            tokens += Tokenise(buffer.AsSpan(0, length));
            received++;
        }

        ws.Abort();
        return tokens;
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public async Task<int> HyperliquidSocketTypedAndApplied()
    {
        await using var keeper = KeeperFactory.Create(_server!.WsUrl, InlineDelivery);
        await keeper.SubscribeAsync(Subscription.L2Book("BTC"), CancellationToken.None);
        await keeper.StartAsync(CancellationToken.None);
        var state = new AppliedState();
        while (state.DataMessages < Messages)
        {
            state.Apply(await keeper.Events.ReadAsync());
        }

        return state.Checksum;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }

        GC.SuppressFinalize(this);
    }

    private static long Tokenise(ReadOnlySpan<byte> frame)
    {
        var reader = new Utf8JsonReader(frame);
        long n = 0;
        while (reader.Read())
        {
            n++;
        }

        return n;
    }
}
