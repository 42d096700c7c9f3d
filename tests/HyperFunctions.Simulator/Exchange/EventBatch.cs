using HyperFunctions.Simulator.Json;
using HyperFunctions.Simulator.Market;

namespace HyperFunctions.Simulator.Exchange;

/// <summary>Everything one action or tick changed, published to subscribers in one go under the exchange lock.</summary>
internal sealed class EventBatch
{
    public List<(string User, WsOrderData Update)> OrderUpdates { get; } = [];

    public List<(string User, FillData Fill)> Fills { get; } = [];

    public List<(string User, NonUserCancel Cancel)> NonUserCancels { get; } = [];

    public List<(string User, FundingPayment Payment)> Fundings { get; } = [];

    public List<(CoinState Coin, TradeData Trade)> Trades { get; } = [];

    public HashSet<CoinState> ChangedBooks { get; } = [];

    /// <summary>Publish allMids and every activeAssetCtx.</summary>
    public bool MarketTick { get; set; }
}

/// <summary>Where batches go (the WebSocket subscriptions).</summary>
internal interface IFeed
{
    void Publish(EventBatch batch);
}
