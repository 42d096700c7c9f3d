using HyperFunctions.Simulator.Json;
using HyperFunctions.Simulator.Market;

namespace HyperFunctions.Simulator.Exchange;

/// <summary>One user's cash, positions, fills and order history. Guarded by the exchange lock.</summary>
internal sealed class AccountState(string address, decimal usdc)
{
    public const int FillsKept = 10_000;

    public string Address { get; } = address;

    /// <summary>Cash: deposits + realised PnL − fees − funding paid.</summary>
    public decimal Usdc { get; set; } = usdc;

    public HashSet<string> Agents { get; } = new(StringComparer.Ordinal);

    public Dictionary<int, Position> Positions { get; } = [];

    /// <summary>Cross leverage per asset (default min(20, maxLeverage)).</summary>
    public Dictionary<int, int> Leverage { get; } = [];

    public Dictionary<long, Order> Orders { get; } = [];

    public Dictionary<string, long> CloidToOid { get; } = new(StringComparer.Ordinal);

    /// <summary>Fills in time order (oldest first).</summary>
    public List<FillData> Fills { get; } = [];

    public long? ScheduledCancelAtMs { get; set; }

    public ITimer? ScheduledCancelTimer { get; set; }

    public int LeverageFor(CoinState coin) =>
        Leverage.TryGetValue(coin.Asset, out var leverage) ? leverage : Math.Min(20, coin.Config.MaxLeverage);

    public Position PositionFor(int asset)
    {
        if (!Positions.TryGetValue(asset, out var position))
        {
            position = new Position();
            Positions.Add(asset, position);
        }

        return position;
    }

    public decimal SziOf(int asset) => Positions.TryGetValue(asset, out var position) ? position.Szi : 0m;

    public void AddFill(FillData fill)
    {
        Fills.Add(fill);
        if (Fills.Count > FillsKept)
        {
            Fills.RemoveAt(0);
        }
    }
}
