using System.Text.Json;
using System.Text.Json.Nodes;
using HyperFunctions.Simulator.Core;
using HyperFunctions.Simulator.Exchange;

namespace HyperFunctions.Simulator.WebSockets;

/// <summary>Outcome of parsing a subscription object.</summary>
internal enum SubscriptionVerdict
{
    Ok,

    /// <summary>Unknown type or malformed field: the venue answers "Error parsing JSON into valid websocket request: …".</summary>
    Malformed,

    /// <summary>Well-formed but naming an unknown coin or unsupported option: "Invalid subscription: …".</summary>
    Invalid,
}

/// <summary>Validates subscription objects of the supported channels.</summary>
internal static class SubscriptionParser
{
    public static SubscriptionVerdict Parse(JsonObject subscription, ExchangeState state, out Subscription? parsed)
    {
        parsed = null;
        if (!TryString(subscription, "type", out var type))
        {
            return SubscriptionVerdict.Malformed;
        }

        return type switch
        {
            "allMids" => ParseAllMids(subscription, out parsed),
            "l2Book" => ParseBook(subscription, state, out parsed),
            "trades" or "bbo" or "activeAssetCtx" => ParseCoin(subscription, type, state, out parsed),
            "userFills" or "orderUpdates" or "userEvents" => ParseUser(subscription, type, out parsed),
            _ => SubscriptionVerdict.Malformed,
        };
    }

    private static SubscriptionVerdict ParseAllMids(JsonObject subscription, out Subscription? parsed)
    {
        parsed = null;
        if (subscription["dex"] is { } dex && (dex.GetValueKind() != JsonValueKind.String || dex.GetValue<string>().Length > 0))
        {
            return SubscriptionVerdict.Invalid;
        }

        parsed = new Subscription("allMids", SubscriptionKeys.AllMids, "allMids", subscription);
        return SubscriptionVerdict.Ok;
    }

    private static SubscriptionVerdict ParseBook(JsonObject subscription, ExchangeState state, out Subscription? parsed)
    {
        parsed = null;
        if (!TryString(subscription, "coin", out var coin)
            || !TryOptionalInt(subscription, "nSigFigs", out var nSigFigs)
            || !TryOptionalInt(subscription, "mantissa", out var mantissa))
        {
            return SubscriptionVerdict.Malformed;
        }

        var figuresOk = nSigFigs is null or (>= 2 and <= 5);
        var mantissaOk = mantissa is null || (nSigFigs == 5 && mantissa is 1 or 2 or 5);
        if (state.FindCoin(coin) is null || !figuresOk || !mantissaOk)
        {
            return SubscriptionVerdict.Invalid;
        }

        parsed = new Subscription("l2Book", SubscriptionKeys.L2Book(coin, nSigFigs, mantissa), "l2Book", subscription, coin, NSigFigs: nSigFigs, Mantissa: mantissa);
        return SubscriptionVerdict.Ok;
    }

    private static SubscriptionVerdict ParseCoin(JsonObject subscription, string type, ExchangeState state, out Subscription? parsed)
    {
        parsed = null;
        if (!TryString(subscription, "coin", out var coin))
        {
            return SubscriptionVerdict.Malformed;
        }

        if (state.FindCoin(coin) is null)
        {
            return SubscriptionVerdict.Invalid;
        }

        var key = type switch
        {
            "trades" => SubscriptionKeys.Trades(coin),
            "bbo" => SubscriptionKeys.Bbo(coin),
            _ => SubscriptionKeys.ActiveAssetCtx(coin),
        };
        parsed = new Subscription(type, key, type, subscription, coin);
        return SubscriptionVerdict.Ok;
    }

    private static SubscriptionVerdict ParseUser(JsonObject subscription, string type, out Subscription? parsed)
    {
        parsed = null;
        if (!TryString(subscription, "user", out var rawUser) || !Addresses.TryNormalizeAddress(rawUser, out var user))
        {
            return SubscriptionVerdict.Malformed;
        }

        var aggregate = false;
        if (subscription["aggregateByTime"] is { } flag)
        {
            if (flag.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False) || type != "userFills")
            {
                return SubscriptionVerdict.Malformed;
            }

            aggregate = flag.GetValue<bool>();
        }

        var (key, channel) = type switch
        {
            "userFills" => (SubscriptionKeys.UserFills(user, aggregate), "userFills"),
            "orderUpdates" => (SubscriptionKeys.OrderUpdates(user), "orderUpdates"),
            _ => (SubscriptionKeys.UserEvents(user), "user"),
        };
        parsed = new Subscription(type, key, channel, subscription, User: user);
        return SubscriptionVerdict.Ok;
    }

    private static bool TryString(JsonObject obj, string name, out string value)
    {
        value = string.Empty;
        if (obj[name] is not { } node || node.GetValueKind() != JsonValueKind.String)
        {
            return false;
        }

        value = node.GetValue<string>();
        return true;
    }

    private static bool TryOptionalInt(JsonObject obj, string name, out int? value)
    {
        value = null;
        if (obj[name] is not { } node)
        {
            return true;
        }

        if (node.GetValueKind() != JsonValueKind.Number || !node.AsValue().TryGetValue(out int number))
        {
            return false;
        }

        value = number;
        return true;
    }
}
