using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using HyperFunctions.Hyperliquid.Serialization;
using HyperFunctions.Hyperliquid.Socket;

namespace HyperFunctions.Benchmarks;

/// <summary>CPU cost per frame without sockets: typed parse (the keeper's hot path) vs bare tokenising.</summary>
public class ParseBenchmarks
{
    private const int Messages = 2_000;
    private byte[][] _frames = [];
    private byte[][] _books = [];

    [GlobalSetup]
    public void Setup()
    {
        _frames = RecordedStream.Create(Messages);
        // The data payloads of the l2Book frames: the hand-written reader against the source-generated deserialiser it replaced.
        _books = [.. _frames
            .Select(f => JsonDocument.Parse(f))
            .Where(d => d.RootElement.GetProperty("channel").GetString() == "l2Book")
            .Select(d => Encoding.UTF8.GetBytes(d.RootElement.GetProperty("data").GetRawText()))];
    }

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

    [Benchmark]
    public int L2BookSourceGenerated()
    {
        var n = 0;
        foreach (var data in _books)
        {
            n += JsonSerializer.Deserialize(data, HyperliquidJsonContext.Default.L2Book)!.Levels.Count;
        }

        return n;
    }

    [Benchmark]
    public int L2BookHandReader()
    {
        var n = 0;
        foreach (var data in _books)
        {
            n += L2BookReader.TryRead(data, out var book) ? book!.Levels.Count : 0;
        }

        return n;
    }
}
