using HyperFunctions.Simulator.Json;

namespace HyperFunctions.Simulator.Market;

/// <summary>Everything the simulator knows about one perpetual. Guarded by the exchange lock.</summary>
internal sealed class CoinState(int asset, SimulatorCoin config)
{
    public const int RecentTradesKept = 100;

    public int Asset { get; } = asset;

    public SimulatorCoin Config { get; } = config;

    public string Name => Config.Name;

    public int SzDecimals => Config.SzDecimals;

    public OrderBook Book { get; } = new();

    /// <summary>Fair value driven by the random walk; the market maker quotes around it.</summary>
    public decimal FairPx { get; set; } = config.InitialPrice;

    /// <summary>Book basis relative to the oracle (mean-reverting), the source of premium and funding.</summary>
    public decimal Basis { get; set; }

    public decimal OraclePx { get; set; } = config.InitialPrice;

    public decimal MarkPx { get; set; } = config.InitialPrice;

    public decimal Premium { get; set; }

    /// <summary>Current (predicted) hourly funding rate.</summary>
    public decimal Funding { get; set; } = 0.0000125m;

    public decimal PrevDayPx { get; set; } = config.InitialPrice;

    public decimal DayNtlVlm { get; set; }

    public decimal DayBaseVlm { get; set; }

    /// <summary>Open interest that is not held by simulator accounts.</summary>
    public decimal BaseOpenInterest { get; set; }

    public decimal LastTradePx { get; set; } = config.InitialPrice;

    /// <summary>Time of the last book change (l2Book.time).</summary>
    public long BookTimeMs { get; set; }

    public (decimal? Bid, decimal? Ask) LastPublishedBbo { get; set; }

    public List<TradeData> RecentTrades { get; } = [];

    public List<FundingHistoryEntry> FundingHistory { get; } = [];

    public decimal? Mid => Book.BestBid is { } bid && Book.BestAsk is { } ask ? (bid + ask) / 2m : null;

    /// <summary>Mid, or the last trade when one side of the book is empty (as the venue does).</summary>
    public decimal MidOrLast => Mid ?? LastTradePx;

    public void AddTrade(TradeData trade)
    {
        RecentTrades.Add(trade);
        if (RecentTrades.Count > RecentTradesKept)
        {
            RecentTrades.RemoveAt(0);
        }
    }
}
