using System.Text.RegularExpressions;

namespace HyperFunctions.Domain.Execution;

/// <summary>
/// Validates an <see cref="OrderIntentDraft"/>: every bad field is named with what is wrong, and only a
/// draft without errors becomes an <see cref="OrderIntent"/>.
/// </summary>
public static partial class OrderIntentRules
{
    public const decimal MaxSlippage = 0.5m;
    public const int MaxDecimals = 8;

    /// <summary>The cloid is the one given, else derived from <paramref name="sourceKey"/>.</summary>
    public static (OrderIntent? Intent, IReadOnlyDictionary<string, string[]> Errors) Validate(OrderIntentDraft draft, string sourceKey)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Error(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
            list.Add(message);
        }

        if (string.IsNullOrWhiteSpace(draft.Coin)) Error("coin", "Required.");
        else if (!CoinPattern().IsMatch(draft.Coin)) Error("coin", "Must be 1-32 characters of letters, digits, @ : / _ - (e.g. BTC).");

        OrderSide? side = draft.Side switch
        {
            null => null,
            _ when string.Equals(draft.Side, "buy", StringComparison.OrdinalIgnoreCase) => OrderSide.Buy,
            _ when string.Equals(draft.Side, "sell", StringComparison.OrdinalIgnoreCase) => OrderSide.Sell,
            _ => null,
        };
        if (draft.Side is null) Error("side", "Required: buy or sell.");
        else if (side is null) Error("side", "Must be buy or sell.");

        Positive("size", draft.Size, required: true, Error);

        OrderType? type = draft.Type switch
        {
            null => null,
            _ when string.Equals(draft.Type, "limit", StringComparison.OrdinalIgnoreCase) => OrderType.Limit,
            _ when string.Equals(draft.Type, "market", StringComparison.OrdinalIgnoreCase) => OrderType.Market,
            _ => null,
        };
        if (draft.Type is null) Error("type", "Required: limit or market.");
        else if (type is null) Error("type", "Must be limit or market.");

        TimeInForce? tif = null;
        if (draft.Tif is not null)
        {
            if (Enum.TryParse<TimeInForce>(draft.Tif, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !draft.Tif.Any(char.IsDigit)) tif = parsed;
            else Error("tif", "Must be Gtc, Ioc or Alo.");
        }

        if (type == OrderType.Limit)
        {
            Positive("limitPrice", draft.LimitPrice, required: true, Error);
            if (draft.Slippage is not null) Error("slippage", "Only for market orders (a limit order has limitPrice).");
        }
        else if (type == OrderType.Market)
        {
            if (draft.LimitPrice is not null) Error("limitPrice", "Only for limit orders (a market order has slippage).");
            if (draft.Slippage is null) Error("slippage", "Required for market orders: the worst price as a fraction of the mid, e.g. 0.01.");
            else if (draft.Slippage <= 0 || draft.Slippage > MaxSlippage) Error("slippage", $"Must be above 0 and at most {MaxSlippage}.");
            if (tif is not null and not TimeInForce.Ioc) Error("tif", "A market order is always Ioc.");
        }

        if (draft.Cloid is not null && !ClientOrderId.IsValid(draft.Cloid)) Error("cloid", "Must be 0x followed by 32 hex characters.");
        if (string.IsNullOrWhiteSpace(sourceKey)) Error("sourceKey", "Required.");

        if (errors.Count > 0) return (null, errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal));
        var cloid = draft.Cloid is null ? ClientOrderId.FromSourceKey(sourceKey) : ClientOrderId.Normalize(draft.Cloid);
        var intent = new OrderIntent(cloid, sourceKey, draft.Coin!, side!.Value, draft.Size!.Value, type!.Value,
            type == OrderType.Limit ? draft.LimitPrice : null, type == OrderType.Market ? draft.Slippage : null,
            type == OrderType.Market ? TimeInForce.Ioc : tif ?? TimeInForce.Gtc, draft.ReduceOnly);
        return (intent, new Dictionary<string, string[]>());
    }

    /// <summary>The draft an intent came from (round trip: Validate(ToDraft(i), i.SourceKey) gives i back).</summary>
    public static OrderIntentDraft ToDraft(OrderIntent intent)
    {
        ArgumentNullException.ThrowIfNull(intent);
        return new OrderIntentDraft(intent.Coin, intent.IsBuy ? "buy" : "sell", intent.Size, intent.Type == OrderType.Limit ? "limit" : "market",
            intent.LimitPrice, intent.Slippage, intent.Tif.ToString(), intent.ReduceOnly, intent.Cloid);
    }

    private static void Positive(string field, decimal? value, bool required, Action<string, string> error)
    {
        if (value is null)
        {
            if (required) error(field, "Required: a positive decimal (string or number).");
            return;
        }
        if (value <= 0) error(field, "Must be above 0.");
        else if (value.Value.Scale > MaxDecimals && decimal.Round(value.Value, MaxDecimals) != value.Value) error(field, $"At most {MaxDecimals} decimals.");
    }

    [GeneratedRegex("^[A-Za-z0-9@:/_-]{1,32}$")]
    private static partial Regex CoinPattern();
}
