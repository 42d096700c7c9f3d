using HyperFunctions.Simulator.Core;
using HyperFunctions.Simulator.Exchange;
using HyperFunctions.Simulator.Json;
using HyperFunctions.Simulator.Market;

namespace HyperFunctions.Simulator.WebSockets;

/// <summary>The message sent right after a subscription ack, if the channel has one (called under the exchange lock).</summary>
internal sealed class SubscriptionSnapshots(ExchangeState state)
{
    public const int SnapshotFills = 2000;

    private static SimJson Json => SimJson.Wire;

    public ReadOnlyMemory<byte>? For(Subscription subscription)
    {
        var coin = state.FindCoin(subscription.Coin);
        switch (subscription.Type)
        {
            case "allMids":
                return Envelope.Channel("allMids", new AllMidsData(MarketViews.Mids(state.Coins)), Json.AllMidsData);
            case "l2Book":
                return Envelope.Channel("l2Book", MarketViews.Book(coin!, subscription.NSigFigs, subscription.Mantissa), Json.L2BookData);
            case "bbo":
                return Envelope.Channel("bbo", MarketViews.Bbo(coin!), Json.BboData);
            case "activeAssetCtx":
                return Envelope.Channel("activeAssetCtx", new ActiveAssetCtxData(coin!.Name, MarketViews.Ctx(coin, state.OpenInterest(coin))), Json.ActiveAssetCtxData);
            case "userFills":
                var user = subscription.User!;
                IReadOnlyList<FillData> fills = state.FindAccount(user)?.Fills.AsEnumerable().Reverse().Take(SnapshotFills).ToList() ?? [];
                return Envelope.Channel("userFills", new UserFillsData(true, user, fills), Json.UserFillsData);
            default:
                return null;
        }
    }
}
