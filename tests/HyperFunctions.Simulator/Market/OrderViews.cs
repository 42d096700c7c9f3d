using HyperFunctions.Simulator.Core;
using HyperFunctions.Simulator.Json;

namespace HyperFunctions.Simulator.Market;

/// <summary>Wire views of an order.</summary>
internal static class OrderViews
{
    public static BasicOrder Basic(Order order) =>
        new(order.Coin, Wire.Side(order.IsBuy), Wire.Num(order.LimitPx), Wire.Num(order.Sz), order.Oid, order.Timestamp, Wire.Num(order.OrigSz), order.Cloid);

    public static WsOrderData Update(Order order) => new(Basic(order), order.Status, order.StatusTimestamp);

    public static FrontendOrder Frontend(Order order) =>
        new(
            order.Coin,
            Wire.Side(order.IsBuy),
            Wire.Num(order.LimitPx),
            Wire.Num(order.Sz),
            order.Oid,
            order.Timestamp,
            "N/A",
            false,
            "0.0",
            [],
            false,
            order.ReduceOnly,
            "Limit",
            Wire.Num(order.OrigSz),
            order.Tif,
            order.Cloid);
}
