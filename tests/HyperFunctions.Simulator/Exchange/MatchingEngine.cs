using HyperFunctions.Simulator.Core;
using HyperFunctions.Simulator.Json;
using HyperFunctions.Simulator.Market;

namespace HyperFunctions.Simulator.Exchange;

/// <summary>Result of matching a taker against a book.</summary>
internal readonly record struct MatchResult(decimal FilledSz, decimal Notional)
{
    public decimal AvgPx => FilledSz == 0m ? 0m : Notional / FilledSz;
}

/// <summary>
/// Matches a taker against resting orders in price-time priority at the maker's price. Self-trades
/// cancel the resting order (expire-maker); a reduce-only maker that would grow its position is
/// canceled. Fills, trades and order updates go into the batch.
/// </summary>
internal sealed class MatchingEngine(ExchangeState state)
{
    public const decimal TakerFeeRate = 0.00045m;
    public const decimal MakerFeeRate = 0.00015m;

    public MatchResult Match(CoinState coin, Order taker, string hash, EventBatch batch)
    {
        var takerAccount = taker.User is null ? null : state.FindAccount(taker.User);
        var filled = 0m;
        var notional = 0m;
        while (taker.Sz - filled > 0m)
        {
            var maker = coin.Book.BestOpposite(taker.IsBuy);
            if (maker is null || (taker.IsBuy ? maker.LimitPx > taker.LimitPx : maker.LimitPx < taker.LimitPx))
            {
                break;
            }

            if (RemovedAsInvalidMaker(coin, maker, taker, batch))
            {
                continue;
            }

            var makerAccount = maker.User is null ? null : state.FindAccount(maker.User);
            var size = Math.Min(taker.Sz - filled, Fillable(maker, makerAccount));
            Execute(coin, taker, takerAccount, maker, makerAccount, size, hash, batch);
            filled += size;
            notional += size * maker.LimitPx;
            maker.Sz -= size;
            if (maker.Sz == 0m)
            {
                coin.Book.Remove(maker);
                SetStatus(maker, OrderStatuses.Filled, batch);
            }
        }

        if (filled > 0m)
        {
            batch.ChangedBooks.Add(coin);
        }

        return new MatchResult(filled, notional);
    }

    public void SetStatus(Order order, string status, EventBatch batch)
    {
        order.Status = status;
        order.StatusTimestamp = state.Clock.NowMs;
        if (order.User is not null)
        {
            batch.OrderUpdates.Add((order.User, OrderViews.Update(order)));
        }
    }

    private bool RemovedAsInvalidMaker(CoinState coin, Order maker, Order taker, EventBatch batch)
    {
        string? status = null;
        if (maker.User is not null && maker.User == taker.User)
        {
            status = OrderStatuses.SelfTradeCanceled;
        }
        else if (maker.User is not null && Fillable(maker, state.FindAccount(maker.User)) == 0m)
        {
            status = OrderStatuses.ReduceOnlyCanceled;
        }

        if (status is null)
        {
            return false;
        }

        coin.Book.Remove(maker);
        SetStatus(maker, status, batch);
        batch.NonUserCancels.Add((maker.User!, new NonUserCancel(coin.Name, maker.Oid)));
        batch.ChangedBooks.Add(coin);
        return true;
    }

    private static decimal Fillable(Order maker, AccountState? account)
    {
        if (!maker.ReduceOnly || account is null)
        {
            return maker.Sz;
        }

        var szi = account.SziOf(maker.Asset);
        var reduces = maker.IsBuy ? szi < 0m : szi > 0m;
        return reduces ? Math.Min(maker.Sz, Math.Abs(szi)) : 0m;
    }

    private void Execute(CoinState coin, Order taker, AccountState? takerAccount, Order maker, AccountState? makerAccount, decimal size, string hash, EventBatch batch)
    {
        var px = maker.LimitPx;
        var tid = state.Ids.NextTid();
        var time = state.Clock.NowMs;
        if (takerAccount is not null)
        {
            RecordFill(coin, takerAccount, taker, size, px, crossed: true, hash, tid, time, batch);
        }

        if (makerAccount is not null)
        {
            RecordFill(coin, makerAccount, maker, size, px, crossed: false, hash, tid, time, batch);
        }

        var buyer = taker.IsBuy ? taker.User : maker.User;
        var seller = taker.IsBuy ? maker.User : taker.User;
        var trade = new TradeData(
            coin.Name,
            Wire.Side(taker.IsBuy),
            Wire.Num(px),
            Wire.Num(size),
            hash,
            time,
            tid,
            [buyer ?? state.MarketMakerAddress, seller ?? state.MarketMakerAddress]);
        coin.AddTrade(trade);
        batch.Trades.Add((coin, trade));
        coin.LastTradePx = px;
        coin.DayNtlVlm += px * size;
        coin.DayBaseVlm += size;
    }

    private static void RecordFill(CoinState coin, AccountState account, Order order, decimal size, decimal px, bool crossed, string hash, long tid, long time, EventBatch batch)
    {
        var effect = account.PositionFor(coin.Asset).Apply(order.IsBuy, size, px);
        var fee = Math.Round(size * px * (crossed ? TakerFeeRate : MakerFeeRate), 6, MidpointRounding.AwayFromZero);
        account.Usdc += effect.ClosedPnl - fee;
        var fill = new FillData(
            coin.Name,
            Wire.Num(px),
            Wire.Num(size),
            Wire.Side(order.IsBuy),
            time,
            Wire.Num(effect.StartPosition),
            effect.Dir,
            Wire.Usd(effect.ClosedPnl),
            hash,
            order.Oid,
            crossed,
            Wire.Usd(fee),
            tid,
            "USDC",
            order.Cloid);
        account.AddFill(fill);
        batch.Fills.Add((account.Address, fill));
    }
}
