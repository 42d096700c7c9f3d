using HyperFunctions.Hyperliquid.Policies;

namespace HyperFunctions.Hyperliquid.Tests.Support;

/// <summary>A random source that returns the given values in a loop.</summary>
internal sealed class SequenceRandom(params double[] values) : IRandomSource
{
    private int _next;

    public double NextDouble() => values[_next++ % values.Length];
}
