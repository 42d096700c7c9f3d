using HyperFunctions.Simulator.Core;
using HyperFunctions.Simulator.Exchange;
using HyperFunctions.Simulator.Market;

namespace HyperFunctions.Simulator;

/// <summary>In-process view and control of the simulated market.</summary>
public sealed class SimulatorMarket
{
    private readonly ExchangeState _state;
    private readonly MarketTicker _ticker;

    internal SimulatorMarket(ExchangeState state, MarketTicker ticker)
    {
        _state = state;
        _ticker = ticker;
    }

    /// <summary>Listed coins in asset-id order.</summary>
    public IReadOnlyList<string> Coins => _state.Coins.Select(c => c.Name).ToList();

    /// <summary>The asset id of a coin (its index in meta.universe).</summary>
    public int AssetId(string coin) => Coin(coin).Asset;

    /// <summary>Book mid (as allMids reports it).</summary>
    public decimal Mid(string coin) => Read(coin, c => c.MidOrLast);

    public decimal? BestBid(string coin) => Read(coin, c => c.Book.BestBid);

    public decimal? BestAsk(string coin) => Read(coin, c => c.Book.BestAsk);

    public decimal OraclePrice(string coin) => Read(coin, c => c.OraclePx);

    public decimal MarkPrice(string coin) => Read(coin, c => c.MarkPx);

    /// <summary>Current predicted hourly funding rate.</summary>
    public decimal Funding(string coin) => Read(coin, c => c.Funding);

    /// <summary>Number of fundingHistory entries (including the seeded last day).</summary>
    public int FundingHistoryCount(string coin) => Read(coin, c => c.FundingHistory.Count);

    /// <summary>Moves fair value and oracle to <paramref name="price"/> and requotes at once; resting user orders the new quotes cross are filled.</summary>
    public void SetPrice(string coin, decimal price)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(price);
        _ticker.SetFairPrice(Coin(coin), price);
    }

    /// <summary>Runs one market step now; false when a FreezeMarket fault swallowed it.</summary>
    public bool Tick() => _ticker.Tick();

    /// <summary>
    /// When the account's dead man's switch (scheduleCancel) fires, in ms since the epoch; null when none is armed
    /// or the account is unknown. Also in <c>GET /_sim/state</c> as <c>scheduledCancels</c>.
    /// </summary>
    public long? ScheduledCancelAt(string address)
    {
        if (!Addresses.TryNormalizeAddress(address, out var normalized)) return null;
        lock (_state.Gate)
        {
            return _state.FindAccount(normalized)?.ScheduledCancelAtMs;
        }
    }

    /// <summary>Resting orders of the account on every book (what openOrders lists).</summary>
    public int OpenOrderCount(string address)
    {
        if (!Addresses.TryNormalizeAddress(address, out var normalized)) return 0;
        lock (_state.Gate)
        {
            return _state.Coins.Sum(c => c.Book.OrdersOf(normalized).Count);
        }
    }

    private CoinState Coin(string coin) =>
        _state.FindCoin(coin) ?? throw new ArgumentException($"Unknown coin '{coin}'.", nameof(coin));

    private T Read<T>(string coin, Func<CoinState, T> read)
    {
        var state = Coin(coin);
        lock (_state.Gate)
        {
            return read(state);
        }
    }
}
