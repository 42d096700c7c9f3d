using System.Text.Json.Serialization;

namespace HyperFunctions.Simulator.Json;

// Wire shapes of user data: fills, orders, events. Property order is the venue's.
internal sealed record FillData(
    string Coin,
    string Px,
    string Sz,
    string Side,
    long Time,
    string StartPosition,
    string Dir,
    string ClosedPnl,
    string Hash,
    long Oid,
    bool Crossed,
    string Fee,
    long Tid,
    string FeeToken,
    string? Cloid);

internal sealed record UserFillsData(bool? IsSnapshot, string User, IReadOnlyList<FillData> Fills);

internal sealed record BasicOrder(string Coin, string Side, string LimitPx, string Sz, long Oid, long Timestamp, string OrigSz, string? Cloid);

internal sealed record WsOrderData(BasicOrder Order, string Status, long StatusTimestamp);

internal sealed record UserFillsEvent(IReadOnlyList<FillData> Fills);

internal sealed record FundingPayment(long Time, string Coin, string Usdc, string Szi, string FundingRate);

internal sealed record UserFundingEvent(FundingPayment Funding);

internal sealed record NonUserCancel(string Coin, long Oid);

internal sealed record NonUserCancelEvent(IReadOnlyList<NonUserCancel> NonUserCancel);

internal sealed record FrontendOrder(
    string Coin,
    string Side,
    string LimitPx,
    string Sz,
    long Oid,
    long Timestamp,
    string TriggerCondition,
    bool IsTrigger,
    string TriggerPx,
    IReadOnlyList<FrontendOrder> Children,
    bool IsPositionTpsl,
    bool ReduceOnly,
    string OrderType,
    string OrigSz,
    string Tif,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Cloid);

internal sealed record OrderStatusEntry(FrontendOrder Order, string Status, long StatusTimestamp);

internal sealed record OrderStatusAnswer(string Status, OrderStatusEntry? Order);
