using HyperFunctions.Simulator.Core;
using HyperFunctions.Simulator.Exchange;
using HyperFunctions.Simulator.Json;

namespace HyperFunctions.Simulator.Market;

/// <summary>
/// Synthetic liquidity: on every tick the market maker pulls its quotes and requotes
/// <see cref="SimulatorOptions.BookDepth"/> levels each side around fair value plus basis, several
/// orders per level. Requoting through user orders fills them (the user is maker).
/// </summary>
internal sealed class MarketMaker(ExchangeState state, MatchingEngine matching)
{
    private const decimal HalfSpreadFraction = 0.00005m;
    private const decimal LevelStepFraction = 0.0001m;

    public void Requote(CoinState coin, EventBatch batch)
    {
        var random = state.MarketRandom;
        var hash = state.Ids.NextHash();
        coin.Book.RemoveMarketMakerOrders();
        var center = coin.FairPx * (1m + coin.Basis);
        var tick = PriceRules.Tick(center, coin.SzDecimals);
        var halfSpread = Math.Max(tick, DecimalMath.RoundTo(center * HalfSpreadFraction, tick));
        var step = Math.Max(tick, DecimalMath.RoundTo(center * LevelStepFraction, tick));
        for (var level = 0; level < state.Options.BookDepth; level++)
        {
            var offset = halfSpread + (level * step);
            Quote(coin, isBuy: true, PriceRules.FloorPrice(center - offset, coin.SzDecimals), level, hash, random, batch);
            Quote(coin, isBuy: false, PriceRules.CeilingPrice(center + offset, coin.SzDecimals), level, hash, random, batch);
        }

        coin.BookTimeMs = state.Clock.NowMs;
        batch.ChangedBooks.Add(coin);
    }

    /// <summary>0–2 prints between synthetic traders at the touch; they do not consume the book.</summary>
    public void SyntheticTrades(CoinState coin, EventBatch batch)
    {
        var random = state.MarketRandom;
        var count = random.Next(0, 3);
        for (var i = 0; i < count; i++)
        {
            var isBuy = random.Next(2) == 0;
            if ((isBuy ? coin.Book.BestAsk : coin.Book.BestBid) is not { } px)
            {
                continue;
            }

            var size = LotsFor(coin, 200m + ((decimal)random.NextDouble() * 5_000m), px);
            var buyer = state.Traders[random.Next(state.Traders.Count)];
            var seller = state.Traders[random.Next(state.Traders.Count)];
            var trade = new TradeData(coin.Name, Wire.Side(isBuy), Wire.Num(px), Wire.Num(size), state.Ids.NextHash(), state.Clock.NowMs, state.Ids.NextTid(), [buyer, seller]);
            coin.AddTrade(trade);
            coin.LastTradePx = px;
            coin.DayNtlVlm += px * size;
            coin.DayBaseVlm += size;
            batch.Trades.Add((coin, trade));
        }
    }

    private void Quote(CoinState coin, bool isBuy, decimal px, int level, string hash, Random random, EventBatch batch)
    {
        var levelNotional = 15_000m * (1m + (level * 0.5m)) * (0.5m + (decimal)random.NextDouble());
        var total = LotsFor(coin, levelNotional, px);
        var orders = random.Next(1, 6);
        var lot = PriceRules.Lot(coin.SzDecimals);
        var each = Math.Max(lot, PriceRules.FloorSize(total / orders, coin.SzDecimals));
        for (var i = 0; i < orders; i++)
        {
            var order = new Order
            {
                Oid = state.Ids.NextOid(),
                User = null,
                Asset = coin.Asset,
                Coin = coin.Name,
                IsBuy = isBuy,
                LimitPx = DecimalMath.Normalize(px),
                OrigSz = each,
                Sz = each,
                Timestamp = state.Clock.NowMs,
            };
            var result = matching.Match(coin, order, hash, batch);
            order.Sz -= result.FilledSz;
            if (order.Sz > 0m)
            {
                coin.Book.Add(order);
            }
        }
    }

    private static decimal LotsFor(CoinState coin, decimal notional, decimal px) =>
        Math.Max(PriceRules.Lot(coin.SzDecimals), PriceRules.FloorSize(notional / px, coin.SzDecimals));
}
