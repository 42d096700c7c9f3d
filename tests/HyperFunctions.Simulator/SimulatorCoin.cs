namespace HyperFunctions.Simulator;

/// <summary>A perpetual listed by the simulator. Its index in <see cref="SimulatorOptions.Coins"/> is its asset id.</summary>
/// <param name="Name">Coin name as in <c>meta.universe[].name</c>.</param>
/// <param name="SzDecimals">Size decimals; prices may have at most 6 − SzDecimals decimals.</param>
/// <param name="MaxLeverage">Maximum leverage (<c>meta.universe[].maxLeverage</c>).</param>
/// <param name="InitialPrice">Starting fair price of the random walk.</param>
public sealed record SimulatorCoin(string Name, int SzDecimals, int MaxLeverage, decimal InitialPrice)
{
    /// <summary>Standard deviation of the fair-price move per market tick, as a fraction (default 5 bp).</summary>
    public decimal Volatility { get; init; } = 0.0005m;

    /// <summary>BTC, ETH and SOL with the venue's size decimals and leverage caps.</summary>
    public static IReadOnlyList<SimulatorCoin> Defaults { get; } =
    [
        new("BTC", 5, 40, 67_000m),
        new("ETH", 4, 25, 3_500m),
        new("SOL", 2, 20, 150m),
    ];
}
