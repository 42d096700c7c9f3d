using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using HyperFunctions.Simulator.Core;
using HyperFunctions.Simulator.Exchange;
using HyperFunctions.Simulator.Json;
using HyperFunctions.Simulator.Market;

namespace HyperFunctions.Simulator.Http;

/// <summary>An /info answer (body and item count for the weight surcharge) or a 422 detail.</summary>
internal readonly record struct InfoResult(byte[]? Body, int Items, string? Error)
{
    public static InfoResult Ok(byte[] body, int items = 0) => new(body, items, null);

    public static InfoResult Fail(string? error) => new(null, 0, error ?? "invalid request");
}

/// <summary>The /info request types, answered from the exchange state under its lock.</summary>
internal sealed class InfoQueries(ExchangeState state, SimulatorFaults faults)
{
    public const int MaxFills = 2000;
    public const int MaxFundingEntries = 500;

    private static SimJson Json => SimJson.Wire;

    public InfoResult Answer(string type, JsonObject request)
    {
        lock (state.Gate)
        {
            return type switch
            {
                "allMids" => InfoResult.Ok(Envelope.Body<IReadOnlyDictionary<string, string>>(MarketViews.Mids(state.Coins), Json.IReadOnlyDictionaryStringString)),
                "l2Book" => L2Book(request),
                "meta" => InfoResult.Ok(Envelope.Body(MarketViews.Meta(state.Coins), Json.MetaData)),
                "metaAndAssetCtxs" => InfoResult.Ok(MetaAndAssetCtxs()),
                "clearinghouseState" => WithUser(request, ClearinghouseState),
                "openOrders" => WithUser(request, OpenOrders),
                "userFills" => WithUser(request, UserFills),
                "userFillsByTime" => WithUser(request, user => UserFillsByTime(request, user)),
                "orderStatus" => WithUser(request, user => OrderStatus(request, user)),
                "fundingHistory" => FundingHistory(request),
                _ => InfoResult.Fail($"unknown variant `{type}`"),
            };
        }
    }

    private InfoResult L2Book(JsonObject request)
    {
        if (!JsonFields.TryString(request, "coin", out var coinName, out var error)
            || !JsonFields.TryOptionalLong(request, "nSigFigs", out var nSigFigs, out error)
            || !JsonFields.TryOptionalLong(request, "mantissa", out var mantissa, out error))
        {
            return InfoResult.Fail(error);
        }

        if (nSigFigs is not null and not (>= 2 and <= 5) || (mantissa is not null && (nSigFigs != 5 || mantissa is not (1 or 2 or 5))))
        {
            return InfoResult.Fail("invalid value for `nSigFigs`/`mantissa`");
        }

        var coin = state.FindCoin(coinName);
        return coin is null
            ? InfoResult.Ok(HttpIo.Utf8("null"))
            : InfoResult.Ok(Envelope.Body(MarketViews.Book(coin, (int?)nSigFigs, (int?)mantissa), Json.L2BookData));
    }

    private byte[] MetaAndAssetCtxs()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, SimJson.WriterOptions))
        {
            writer.WriteStartArray();
            JsonSerializer.Serialize(writer, MarketViews.Meta(state.Coins), Json.MetaData);
            IReadOnlyList<PerpAssetCtx> contexts = state.Coins.Select(c => MarketViews.Ctx(c, state.OpenInterest(c))).ToList();
            JsonSerializer.Serialize(writer, contexts, Json.IReadOnlyListPerpAssetCtx);
            writer.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private InfoResult ClearinghouseState(string user) =>
        InfoResult.Ok(Envelope.Body(ClearinghouseView.Build(state, state.FindAccount(user), faults.TakeDivergences(user)), Json.ClearinghouseStateData));

    private InfoResult OpenOrders(string user)
    {
        IReadOnlyList<BasicOrder> orders = state.FindAccount(user)?.Orders.Values
            .Where(o => o.Status == OrderStatuses.Open)
            .OrderByDescending(o => o.Oid)
            .Select(OrderViews.Basic)
            .ToList() ?? [];
        return InfoResult.Ok(Envelope.Body(orders, Json.IReadOnlyListBasicOrder), orders.Count);
    }

    private InfoResult UserFills(string user)
    {
        IReadOnlyList<FillData> fills = state.FindAccount(user)?.Fills.AsEnumerable().Reverse().Take(MaxFills).ToList() ?? [];
        return InfoResult.Ok(Envelope.Body(fills, Json.IReadOnlyListFillData), fills.Count);
    }

    private InfoResult UserFillsByTime(JsonObject request, string user)
    {
        if (!JsonFields.TryLong(request, "startTime", out var start, out var error)
            || !JsonFields.TryOptionalLong(request, "endTime", out var end, out error))
        {
            return InfoResult.Fail(error);
        }

        var until = end ?? state.Clock.NowMs;
        IReadOnlyList<FillData> fills = state.FindAccount(user)?.Fills.Where(f => f.Time >= start && f.Time <= until).Take(MaxFills).ToList() ?? [];
        return InfoResult.Ok(Envelope.Body(fills, Json.IReadOnlyListFillData), fills.Count);
    }

    private InfoResult OrderStatus(JsonObject request, string user)
    {
        var account = state.FindAccount(user);
        Order? order = null;
        switch (request["oid"])
        {
            case null:
                return InfoResult.Fail("missing field `oid`");
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number && value.TryGetValue(out long oid):
                order = account?.Orders.GetValueOrDefault(oid);
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                if (!Addresses.TryNormalizeCloid(value.GetValue<string>(), out var cloid))
                {
                    return InfoResult.Fail("invalid value for `oid`: expected a u64 or a 16-byte hex cloid");
                }

                order = account is not null && account.CloidToOid.TryGetValue(cloid, out var byCloid) ? account.Orders.GetValueOrDefault(byCloid) : null;
                break;
            default:
                return InfoResult.Fail("invalid value for `oid`: expected a u64 or a 16-byte hex cloid");
        }

        var answer = order is null
            ? new OrderStatusAnswer("unknownOid", null)
            : new OrderStatusAnswer("order", new OrderStatusEntry(OrderViews.Frontend(order), order.Status, order.StatusTimestamp));
        return InfoResult.Ok(Envelope.Body(answer, Json.OrderStatusAnswer));
    }

    private InfoResult FundingHistory(JsonObject request)
    {
        if (!JsonFields.TryString(request, "coin", out var coinName, out var error)
            || !JsonFields.TryLong(request, "startTime", out var start, out error)
            || !JsonFields.TryOptionalLong(request, "endTime", out var end, out error))
        {
            return InfoResult.Fail(error);
        }

        var until = end ?? state.Clock.NowMs;
        IReadOnlyList<FundingHistoryEntry> entries = state.FindCoin(coinName)?.FundingHistory
            .Where(e => e.Time >= start && e.Time <= until)
            .Take(MaxFundingEntries)
            .ToList() ?? [];
        return InfoResult.Ok(Envelope.Body(entries, Json.IReadOnlyListFundingHistoryEntry), entries.Count);
    }

    private static InfoResult WithUser(JsonObject request, Func<string, InfoResult> answer)
    {
        if (!JsonFields.TryString(request, "user", out var raw, out var error))
        {
            return InfoResult.Fail(error);
        }

        return Addresses.TryNormalizeAddress(raw, out var user)
            ? answer(user)
            : InfoResult.Fail("invalid value for `user`: expected a 42-character 0x-hex address");
    }
}
