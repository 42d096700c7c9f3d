using System.Diagnostics;
using HyperFunctions.Hyperliquid.Models;
using HyperFunctions.Hyperliquid.Socket;

namespace HyperFunctions.Benchmarks;

/// <summary>
/// <c>--diag</c>: plain timed passes (no BenchmarkDotNet) showing JIT warm-up of the parser and the
/// keeper's rate with both delivery modes, plus its statistics (reconnects, drops).
/// </summary>
internal static class KeeperDiagnostics
{
    private const int Messages = 20_000;

    public static async Task<int> RunAsync()
    {
        var frames = RecordedStream.Create(Messages);
        for (var pass = 0; pass < 3; pass++)
        {
            var sw = Stopwatch.StartNew();
            foreach (var frame in frames)
            {
                SocketMessageParser.Parse(frame, out _, out _);
            }

            Console.WriteLine($"parse-only pass {pass}: {sw.Elapsed.TotalMicroseconds / Messages:N1} us/msg");
        }

        await using var server = await BlastServer.StartAsync(frames);
        foreach (var inline in new[] { false, true })
        {
            for (var pass = 0; pass < 3; pass++)
            {
                await using var keeper = KeeperFactory.Create(server.WsUrl, inline);
                await keeper.SubscribeAsync(Subscription.L2Book("BTC"), CancellationToken.None);
                var sw = Stopwatch.StartNew();
                await keeper.StartAsync(CancellationToken.None);
                var state = new AppliedState();
                while (state.DataMessages < Messages)
                {
                    state.Apply(await keeper.Events.ReadAsync());
                }

                sw.Stop();
                var stats = keeper.GetStatistics();
                Console.WriteLine($"keeper inline={inline} pass {pass}: {Messages / sw.Elapsed.TotalSeconds:N0} msg/s; attempts {stats.Attempts}, dropped {stats.EventsDropped}");
            }
        }

        return 0;
    }
}
