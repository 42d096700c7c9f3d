namespace HyperFunctions.Hyperliquid.Policies;

/// <summary>A source of uniform random numbers in [0, 1); injectable so jitter is testable.</summary>
public interface IRandomSource
{
    /// <summary>Returns a uniform value in [0, 1).</summary>
    double NextDouble();
}

/// <summary>Thread-safe <see cref="IRandomSource"/> over <see cref="Random.Shared"/>.</summary>
public sealed class SharedRandomSource : IRandomSource
{
    /// <summary>The single instance.</summary>
    public static SharedRandomSource Instance { get; } = new();

    private SharedRandomSource()
    {
    }

    /// <inheritdoc />
    public double NextDouble() => Random.Shared.NextDouble();
}
