using HyperFunctions.Simulator.Core;
using HyperFunctions.Simulator.Exchange;
using HyperFunctions.Simulator.Json;

namespace HyperFunctions.Simulator.Market;

/// <summary>
/// Hourly funding on the simulator clock: at every boundary of <see cref="SimulatorOptions.FundingInterval"/>
/// each coin records a fundingHistory entry and every position pays (long, positive rate) or receives
/// size × oracle × rate, announced on userEvents. Missed boundaries (a big clock jump) are caught up.
/// </summary>
internal sealed class FundingEngine(ExchangeState state, SimulatorFaults faults, SimulatorStats stats, IFeed feed) : IDisposable
{
    private const int MaxCatchUp = 10_000;
    private const int SeededHistoryIntervals = 24;
    private readonly Lock _timerGate = new();
    private long _nextMs;
    private ITimer? _timer;
    private bool _disposed;

    private long IntervalMs => (long)state.Options.FundingInterval.TotalMilliseconds;

    /// <summary>Seeds the last day of history (so fundingHistory is never empty) and arms the timer.</summary>
    public void Start()
    {
        lock (state.Gate)
        {
            var now = state.Clock.NowMs;
            _nextMs = ((now / IntervalMs) + 1) * IntervalMs;
            foreach (var coin in state.Coins)
            {
                for (var i = SeededHistoryIntervals; i >= 1; i--)
                {
                    var rate = Math.Round(coin.Funding + (0.000005m * MarketDynamics.Gaussian(state.MarketRandom)), 8);
                    coin.FundingHistory.Add(new FundingHistoryEntry(coin.Name, Wire.Rate(rate), Wire.Rate(coin.Premium), _nextMs - (i * IntervalMs)));
                }
            }
        }

        Arm();
    }

    /// <summary>Settles every boundary up to now.</summary>
    public void RunDue()
    {
        lock (state.Gate)
        {
            var now = state.Clock.NowMs;
            var batch = new EventBatch();
            for (var i = 0; _nextMs <= now && i < MaxCatchUp; i++)
            {
                Settle(_nextMs, batch);
                _nextMs += IntervalMs;
            }

            if (_nextMs <= now)
            {
                _nextMs = ((now / IntervalMs) + 1) * IntervalMs;
            }

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

    private void Settle(long time, EventBatch batch)
    {
        var stopAll = faults.TryConsumeFundingStop(null);
        var settled = false;
        foreach (var coin in state.Coins)
        {
            if (stopAll || faults.TryConsumeFundingStop(coin.Name))
            {
                continue;
            }

            settled = true;
            coin.FundingHistory.Add(new FundingHistoryEntry(coin.Name, Wire.Rate(coin.Funding), Wire.Rate(coin.Premium), time));
            foreach (var account in state.Accounts)
            {
                Pay(account, coin, time, batch);
            }
        }

        if (settled)
        {
            stats.FundingUpdate();
        }
    }

    private static void Pay(AccountState account, CoinState coin, long time, EventBatch batch)
    {
        if (!account.Positions.TryGetValue(coin.Asset, out var position) || position.Szi == 0m)
        {
            return;
        }

        var payment = Math.Round(position.Szi * coin.OraclePx * coin.Funding, 6, MidpointRounding.AwayFromZero);
        account.Usdc -= payment;
        position.FundingAllTime += payment;
        position.FundingSinceOpen += payment;
        position.FundingSinceChange += payment;
        batch.Fundings.Add((account.Address, new FundingPayment(time, coin.Name, Wire.Usd(-payment), Wire.Num(position.Szi), Wire.Rate(coin.Funding))));
    }

    private void Arm()
    {
        lock (_timerGate)
        {
            if (_disposed)
            {
                return;
            }

            long due;
            lock (state.Gate)
            {
                due = Math.Max(0, _nextMs - state.Clock.NowMs);
            }

            _timer ??= state.Clock.Provider.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _timer.Change(TimeSpan.FromMilliseconds(due), Timeout.InfiniteTimeSpan);
        }
    }

    private void OnTimer()
    {
        RunDue();
        Arm();
    }
}
