using BenchmarkDotNet.Attributes;
using HyperFunctions.Hyperliquid.Models;
using HyperFunctions.Hyperliquid.Socket;

namespace HyperFunctions.Benchmarks;

/// <summary>
/// Reconnect-to-first-data: the server drops the connection; measured until the keeper reports data
/// flowing again (detect loss, immediate first retry, handshake, resubscribe, first data frame).
/// </summary>
public class ReconnectBenchmarks : IAsyncDisposable
{
    private BlastServer? _server;
    private HyperliquidSocket? _keeper;

    [GlobalSetup]
    public void Setup()
    {
        _server = BlastServer.StartAsync(RecordedStream.Create(20)).GetAwaiter().GetResult();
        _keeper = KeeperFactory.Create(_server.WsUrl);
        _keeper.SubscribeAsync(Subscription.L2Book("BTC"), CancellationToken.None).GetAwaiter().GetResult();
        _keeper.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        WaitForDataFlowingAsync(requireDisconnect: false).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark]
    public Task ReconnectToFirstData()
    {
        _server!.DropAll();
        return WaitForDataFlowingAsync(requireDisconnect: true);
    }

    public async ValueTask DisposeAsync()
    {
        if (_keeper is not null)
        {
            await _keeper.DisposeAsync();
            _keeper = null;
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }

        GC.SuppressFinalize(this);
    }

    private async Task WaitForDataFlowingAsync(bool requireDisconnect)
    {
        var disconnected = !requireDisconnect;
        while (true)
        {
            var evt = await _keeper!.Events.ReadAsync();
            if (evt is ConnectionEvent { Kind: ConnectionEventKind.Disconnected })
            {
                disconnected = true;
            }
            else if (disconnected && evt is ConnectionEvent { Kind: ConnectionEventKind.DataFlowing })
            {
                return;
            }
        }
    }
}
