using HyperFunctions.Simulator.Exchange;

namespace HyperFunctions.Simulator.Market;

/// <summary>
/// One market step per <see cref="SimulatorOptions.MarketTickInterval"/> of simulator time: random
/// walk, requote, synthetic trades, contexts, then publication. A one-shot timer rescheduled after
/// each step, so advancing a FakeTimeProvider by a long span runs one step, not thousands.
/// </summary>
internal sealed class MarketTicker(ExchangeState state, MarketMaker marketMaker, SimulatorFaults faults, SimulatorStats stats, IFeed feed) : IDisposable
{
    private readonly Lock _timerGate = new();
    private ITimer? _timer;
    private bool _disposed;

    /// <summary>Builds the initial book and contexts (no publication).</summary>
    public void Initialize()
    {
        lock (state.Gate)
        {
            var batch = new EventBatch();
            foreach (var coin in state.Coins)
            {
                coin.BaseOpenInterest = Math.Round(40_000_000m / coin.Config.InitialPrice, coin.SzDecimals);
                coin.OraclePx = PriceRules.RoundPrice(coin.FairPx, coin.SzDecimals);
                marketMaker.Requote(coin, batch);
                MarketDynamics.UpdateContext(coin, updateFunding: true);
            }
        }
    }

    public void Start()
    {
        if (state.Options.MarketTickInterval > TimeSpan.Zero)
        {
            lock (_timerGate)
            {
                _timer = state.Clock.Provider.CreateTimer(_ => OnTimer(), null, state.Options.MarketTickInterval, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>Runs one market step now (skipped while a freeze-market fault is active).</summary>
    public bool Tick()
    {
        lock (state.Gate)
        {
            if (faults.TryConsumeMarketFreeze())
            {
                return false;
            }

            var batch = new EventBatch { MarketTick = true };
            foreach (var coin in state.Coins)
            {
                MarketDynamics.Step(coin, state.MarketRandom);
                marketMaker.Requote(coin, batch);
                marketMaker.SyntheticTrades(coin, batch);
                MarketDynamics.UpdateContext(coin, updateFunding: !faults.IsFundingStopped(coin.Name));
            }

            feed.Publish(batch);
        }

        stats.MarketTick();
        return true;
    }

    /// <summary>Moves a coin's fair value (and oracle) to <paramref name="price"/> and requotes at once.</summary>
    public void SetFairPrice(CoinState coin, decimal price)
    {
        lock (state.Gate)
        {
            coin.FairPx = price;
            coin.Basis = 0m;
            coin.OraclePx = PriceRules.RoundPrice(price, coin.SzDecimals);
            var batch = new EventBatch { MarketTick = true };
            marketMaker.Requote(coin, batch);
            MarketDynamics.UpdateContext(coin, updateFunding: !faults.IsFundingStopped(coin.Name));
            feed.Publish(batch);
        }
    }

    public void Dispose()
    {
        lock (_timerGate)
        {
            _disposed = true;
            _timer?.Dispose();
        }
    }

    private void OnTimer()
    {
        Tick();
        lock (_timerGate)
        {
            if (!_disposed)
            {
                _timer?.Change(state.Options.MarketTickInterval, Timeout.InfiniteTimeSpan);
            }
        }
    }
}
