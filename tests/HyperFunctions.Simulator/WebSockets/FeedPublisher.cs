using HyperFunctions.Simulator.Exchange;
using HyperFunctions.Simulator.Json;
using HyperFunctions.Simulator.Market;

namespace HyperFunctions.Simulator.WebSockets;

/// <summary>Turns an <see cref="EventBatch"/> into channel messages for the subscribed connections (called under the exchange lock).</summary>
internal sealed class FeedPublisher(ExchangeState state, ConnectionRegistry registry) : IFeed
{
    private static SimJson Json => SimJson.Wire;

    public void Publish(EventBatch batch)
    {
        PublishOrderUpdates(batch);
        PublishFills(batch);
        PublishUserEvents(batch);
        PublishTrades(batch);
        foreach (var coin in batch.ChangedBooks)
        {
            PublishBook(coin);
        }

        if (batch.MarketTick)
        {
            PublishMarket();
        }
    }

    private void PublishOrderUpdates(EventBatch batch)
    {
        foreach (var group in batch.OrderUpdates.GroupBy(u => u.User))
        {
            var key = SubscriptionKeys.OrderUpdates(group.Key);
            if (registry.HasSubscribers(key))
            {
                IReadOnlyList<WsOrderData> updates = group.Select(u => u.Update).ToList();
                registry.Publish(key, Envelope.Channel("orderUpdates", updates, Json.IReadOnlyListWsOrderData));
            }
        }
    }

    private void PublishFills(EventBatch batch)
    {
        foreach (var group in batch.Fills.GroupBy(f => f.User))
        {
            IReadOnlyList<FillData> fills = group.Select(f => f.Fill).ToList();
            foreach (var key in (ReadOnlySpan<string>)[SubscriptionKeys.UserFills(group.Key), SubscriptionKeys.UserFills(group.Key, aggregateByTime: true)])
            {
                if (registry.HasSubscribers(key))
                {
                    registry.Publish(key, Envelope.Channel("userFills", new UserFillsData(null, group.Key, fills), Json.UserFillsData));
                }
            }

            var events = SubscriptionKeys.UserEvents(group.Key);
            if (registry.HasSubscribers(events))
            {
                registry.Publish(events, Envelope.Channel("user", new UserFillsEvent(fills), Json.UserFillsEvent));
            }
        }
    }

    private void PublishUserEvents(EventBatch batch)
    {
        foreach (var group in batch.NonUserCancels.GroupBy(c => c.User))
        {
            var key = SubscriptionKeys.UserEvents(group.Key);
            if (registry.HasSubscribers(key))
            {
                registry.Publish(key, Envelope.Channel("user", new NonUserCancelEvent(group.Select(c => c.Cancel).ToList()), Json.NonUserCancelEvent));
            }
        }

        foreach (var (user, payment) in batch.Fundings)
        {
            var key = SubscriptionKeys.UserEvents(user);
            if (registry.HasSubscribers(key))
            {
                registry.Publish(key, Envelope.Channel("user", new UserFundingEvent(payment), Json.UserFundingEvent));
            }
        }
    }

    private void PublishTrades(EventBatch batch)
    {
        foreach (var group in batch.Trades.GroupBy(t => t.Coin))
        {
            var key = SubscriptionKeys.Trades(group.Key.Name);
            if (registry.HasSubscribers(key))
            {
                IReadOnlyList<TradeData> trades = group.Select(t => t.Trade).ToList();
                registry.Publish(key, Envelope.Channel("trades", trades, Json.IReadOnlyListTradeData));
            }
        }
    }

    private void PublishBook(CoinState coin)
    {
        foreach (var subscription in registry.DistinctSubscriptions(s => s.Type == "l2Book" && s.Coin == coin.Name))
        {
            registry.Publish(subscription.Key, Envelope.Channel("l2Book", MarketViews.Book(coin, subscription.NSigFigs, subscription.Mantissa), Json.L2BookData));
        }

        var bbo = (coin.Book.BestBid, coin.Book.BestAsk);
        if (bbo != coin.LastPublishedBbo)
        {
            coin.LastPublishedBbo = bbo;
            var key = SubscriptionKeys.Bbo(coin.Name);
            if (registry.HasSubscribers(key))
            {
                registry.Publish(key, Envelope.Channel("bbo", MarketViews.Bbo(coin), Json.BboData));
            }
        }
    }

    private void PublishMarket()
    {
        if (registry.HasSubscribers(SubscriptionKeys.AllMids))
        {
            registry.Publish(SubscriptionKeys.AllMids, Envelope.Channel("allMids", new AllMidsData(MarketViews.Mids(state.Coins)), Json.AllMidsData));
        }

        foreach (var coin in state.Coins)
        {
            var key = SubscriptionKeys.ActiveAssetCtx(coin.Name);
            if (registry.HasSubscribers(key))
            {
                var ctx = new ActiveAssetCtxData(coin.Name, MarketViews.Ctx(coin, state.OpenInterest(coin)));
                registry.Publish(key, Envelope.Channel("activeAssetCtx", ctx, Json.ActiveAssetCtxData));
            }
        }
    }
}
