using System.Globalization;
using System.Text.Json.Nodes;
using HyperFunctions.Simulator.Market;

namespace HyperFunctions.Simulator.Exchange;

/// <summary>cancel, cancelByCloid and the cancel-all used by the dead man's switch.</summary>
internal sealed class Cancellation(ExchangeState state, MatchingEngine matching)
{
    public JsonNode Cancel(AccountState account, CancelRequest request, EventBatch batch)
    {
        var coin = state.FindAsset(request.Asset);
        var order = coin?.Book.Find(request.Oid);
        return coin is null || order is null || order.User != account.Address
            ? Missing(request.Asset)
            : Remove(coin, order, OrderStatuses.Canceled, batch);
    }

    public JsonNode CancelByCloid(AccountState account, CancelByCloidRequest request, EventBatch batch)
    {
        var coin = state.FindAsset(request.Asset);
        if (coin is null || !account.CloidToOid.TryGetValue(request.Cloid, out var oid))
        {
            return Missing(request.Asset);
        }

        var order = coin.Book.Find(oid);
        return order is null || order.User != account.Address
            ? Missing(request.Asset)
            : Remove(coin, order, OrderStatuses.Canceled, batch);
    }

    /// <summary>Cancels every resting order of the account with the given status.</summary>
    public int CancelAll(AccountState account, string status, EventBatch batch)
    {
        var count = 0;
        foreach (var coin in state.Coins)
        {
            foreach (var order in coin.Book.OrdersOf(account.Address))
            {
                Remove(coin, order, status, batch);
                count++;
            }
        }

        return count;
    }

    private JsonNode Remove(CoinState coin, Order order, string status, EventBatch batch)
    {
        coin.Book.Remove(order);
        coin.BookTimeMs = state.Clock.NowMs;
        batch.ChangedBooks.Add(coin);
        matching.SetStatus(order, status, batch);
        return JsonValue.Create("success");
    }

    private static JsonObject Missing(long asset) =>
        new() { ["error"] = string.Create(CultureInfo.InvariantCulture, $"Order was never placed, already canceled, or filled. asset={asset}") };
}
