using System.Text.Json;
using BenchmarkDotNet.Attributes;
using HyperFunctions.Hyperliquid.Socket;

namespace HyperFunctions.Benchmarks;

/// <summary>CPU cost per frame without sockets: typed parse (the keeper's hot path) vs bare tokenising.</summary>
public class ParseBenchmarks
{
    private const int Messages = 2_000;
    private byte[][] _frames = [];

    [GlobalSetup]
    public void Setup() => _frames = RecordedStream.Create(Messages);

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages)]
    public long Utf8JsonReaderTokenise()
    {
        long n = 0;
        foreach (var frame in _frames)
        {
            var reader = new Utf8JsonReader(frame);
            while (reader.Read())
            {
                n++;
            }
        }

        return n;
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public int KeeperParserTyped()
    {
        var n = 0;
        foreach (var frame in _frames)
        {
            if (SocketMessageParser.Parse(frame, out _, out var evt) == ParseStatus.Message && evt is not null)
            {
                n++;
            }
        }

        return n;
    }
}
