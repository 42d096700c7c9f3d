using System.Globalization;
using System.Text.Json.Nodes;
using HyperFunctions.Simulator.Core;
using HyperFunctions.Simulator.Market;

namespace HyperFunctions.Simulator.Exchange;

/// <summary>Places one order of an order action and answers its status entry.</summary>
internal sealed class OrderPlacement(ExchangeState state, MatchingEngine matching, SimulatorFaults faults)
{
    private const decimal MinimumNotional = 10m;

    public JsonNode Place(AccountState account, OrderRequest request, string hash, EventBatch batch)
    {
        var asset = request.Asset;
        var coin = state.FindAsset(asset);
        if (coin is null)
        {
            return Error("Order has invalid asset.", asset);
        }

        if (request.IsTrigger)
        {
            return Error("Trigger orders are not supported by the simulator.", asset);
        }

        if (request.Px is not { } px || !PriceRules.IsValidPrice(px, coin.SzDecimals))
        {
            return Error("Price must be divisible by tick size.", asset);
        }

        if (request.Sz is not { } sz || !PriceRules.IsValidSize(sz, coin.SzDecimals))
        {
            return Error("Order has invalid size.", asset);
        }

        if (request.Cloid is not null && account.CloidToOid.ContainsKey(request.Cloid))
        {
            return Error("Duplicate cloid.", asset);
        }

        var order = Record(account, coin, request, px, sz);
        if (faults.TryConsumeOrderRejection(coin.Name, out var message))
        {
            return Reject(order, OrderStatuses.Rejected, message, batch);
        }

        return Validate(account, coin, order, batch) ?? Execute(coin, order, hash, batch);
    }

    private Order Record(AccountState account, CoinState coin, OrderRequest request, decimal px, decimal sz)
    {
        var now = state.Clock.NowMs;
        var order = new Order
        {
            Oid = state.Ids.NextOid(),
            User = account.Address,
            Asset = coin.Asset,
            Coin = coin.Name,
            IsBuy = request.IsBuy,
            LimitPx = DecimalMath.Normalize(px),
            OrigSz = DecimalMath.Normalize(sz),
            Sz = DecimalMath.Normalize(sz),
            Timestamp = now,
            Cloid = request.Cloid,
            ReduceOnly = request.ReduceOnly,
            Tif = request.Tif ?? "Gtc",
            StatusTimestamp = now,
        };
        account.Orders.Add(order.Oid, order);
        if (order.Cloid is not null)
        {
            account.CloidToOid.Add(order.Cloid, order.Oid);
        }

        return order;
    }

    private JsonNode? Validate(AccountState account, CoinState coin, Order order, EventBatch batch)
    {
        if (order.ReduceOnly)
        {
            var szi = account.SziOf(coin.Asset);
            var reduces = order.IsBuy ? szi < 0m : szi > 0m;
            if (!reduces)
            {
                return Reject(order, OrderStatuses.ReduceOnlyRejected, "Reduce only order would increase position.", batch);
            }

            order.Sz = Math.Min(order.Sz, Math.Abs(szi));
            return null;
        }

        if (order.Sz * order.LimitPx < MinimumNotional)
        {
            return Reject(order, OrderStatuses.MinTradeNtlRejected, "Order must have minimum value of $10.", batch);
        }

        if (order.Sz * order.LimitPx / account.LeverageFor(coin) > AccountMath.Available(state, account))
        {
            return Reject(order, OrderStatuses.PerpMarginRejected, "Insufficient margin to place order.", batch);
        }

        if (order.Tif == "Alo" && Crosses(coin, order))
        {
            var bbo = string.Create(CultureInfo.InvariantCulture, $"{Wire.Num(coin.Book.BestBid ?? 0m)}@{Wire.Num(coin.Book.BestAsk ?? 0m)}");
            return Reject(order, OrderStatuses.BadAloPxRejected, $"Post only order would have immediately matched, bbo was {bbo}.", batch);
        }

        return null;
    }

    private JsonNode Execute(CoinState coin, Order order, string hash, EventBatch batch)
    {
        var result = matching.Match(coin, order, hash, batch);
        order.Sz -= result.FilledSz;
        if (order.Sz == 0m)
        {
            matching.SetStatus(order, OrderStatuses.Filled, batch);
            return Filled(coin, order, result);
        }

        if (order.Tif == "Ioc")
        {
            if (result.FilledSz == 0m)
            {
                return Reject(order, OrderStatuses.IocCancelRejected, "Order could not immediately match against any resting orders.", batch);
            }

            matching.SetStatus(order, OrderStatuses.Canceled, batch);
            return Filled(coin, order, result);
        }

        coin.Book.Add(order);
        coin.BookTimeMs = state.Clock.NowMs;
        batch.ChangedBooks.Add(coin);
        matching.SetStatus(order, OrderStatuses.Open, batch);
        var resting = new JsonObject { ["oid"] = order.Oid };
        AddCloid(resting, order);
        return new JsonObject { ["resting"] = resting };
    }

    private static JsonObject Filled(CoinState coin, Order order, MatchResult result)
    {
        var avgPx = Math.Round(result.AvgPx, Math.Max(0, 6 - coin.SzDecimals), MidpointRounding.AwayFromZero);
        var filled = new JsonObject
        {
            ["totalSz"] = Wire.Num(result.FilledSz),
            ["avgPx"] = Wire.Num(avgPx),
            ["oid"] = order.Oid,
        };
        AddCloid(filled, order);
        return new JsonObject { ["filled"] = filled };
    }

    private JsonNode Reject(Order order, string status, string message, EventBatch batch)
    {
        matching.SetStatus(order, status, batch);
        return Error(message, order.Asset);
    }

    private static bool Crosses(CoinState coin, Order order) =>
        order.IsBuy
            ? coin.Book.BestAsk is { } ask && order.LimitPx >= ask
            : coin.Book.BestBid is { } bid && order.LimitPx <= bid;

    private static void AddCloid(JsonObject status, Order order)
    {
        if (order.Cloid is not null)
        {
            status["cloid"] = order.Cloid;
        }
    }

    private static JsonObject Error(string message, long asset) =>
        new() { ["error"] = string.Create(CultureInfo.InvariantCulture, $"{message} asset={asset}") };
}
