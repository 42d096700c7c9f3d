using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HyperFunctions.Simulator.Core;
using HyperFunctions.Simulator.Exchange;

namespace HyperFunctions.Simulator.Http;

/// <summary>Parses an /exchange body into the signed envelope and the typed action; failures become 422 details.</summary>
internal static class ExchangeRequestParser
{
    public static bool TryParse(JsonObject body, out ExchangeRequest? request, out ParsedAction? action, out string? error)
    {
        request = null;
        action = null;
        if (!JsonFields.TryObject(body, "action", out var actionObject, out error)
            || !JsonFields.TryString(actionObject, "type", out var type, out error)
            || !JsonFields.TryLong(body, "nonce", out var nonce, out error)
            || !JsonFields.TryObject(body, "signature", out var signature, out error)
            || !JsonFields.TryString(signature, "r", out var r, out error)
            || !JsonFields.TryString(signature, "s", out var s, out error)
            || !JsonFields.TryLong(signature, "v", out var v, out error)
            || !JsonFields.TryOptionalLong(body, "expiresAfter", out var expiresAfter, out error)
            || !TryVault(body, out var vault, out error))
        {
            return false;
        }

        var parsed = type switch
        {
            "order" => ParseOrders(actionObject, out error),
            "cancel" => ParseCancels(actionObject, out error),
            "cancelByCloid" => ParseCancelsByCloid(actionObject, out error),
            "scheduleCancel" => ParseScheduleCancel(actionObject, out error),
            "updateLeverage" => ParseUpdateLeverage(actionObject, out error),
            "noop" => new ParsedAction.Noop(),
            _ => Fail($"unknown variant `{type}`", out error),
        };
        if (parsed is null)
        {
            return false;
        }

        var batch = parsed switch
        {
            ParsedAction.Orders o => o.Items.Count,
            ParsedAction.Cancels c => c.Items.Count,
            ParsedAction.CancelsByCloid c => c.Items.Count,
            _ => 0,
        };
        request = new ExchangeRequest(actionObject, type, nonce, r, s, (int)Math.Clamp(v, int.MinValue, int.MaxValue), vault, expiresAfter, batch);
        action = parsed;
        return true;
    }

    private static ParsedAction? ParseOrders(JsonObject action, out string? error)
    {
        if (!JsonFields.TryArray(action, "orders", out var orders, out error) || !JsonFields.TryString(action, "grouping", out var grouping, out error))
        {
            return null;
        }

        var items = new List<OrderRequest>();
        foreach (var node in orders)
        {
            if (node is not JsonObject order)
            {
                return Fail("invalid type for order: expected an object", out error);
            }

            if (ParseOrder(order, out error) is not { } parsed)
            {
                return null;
            }

            items.Add(parsed);
        }

        return new ParsedAction.Orders(items, grouping);
    }

    private static OrderRequest? ParseOrder(JsonObject order, out string? error)
    {
        if (!JsonFields.TryLong(order, "a", out var asset, out error)
            || !JsonFields.TryBool(order, "b", out var isBuy, out error)
            || !JsonFields.TryString(order, "p", out var px, out error)
            || !JsonFields.TryString(order, "s", out var sz, out error)
            || !JsonFields.TryBool(order, "r", out var reduceOnly, out error)
            || !JsonFields.TryObject(order, "t", out var orderType, out error))
        {
            return null;
        }

        string? tif = null;
        var isTrigger = false;
        if (orderType["limit"] is JsonObject limit)
        {
            if (!JsonFields.TryString(limit, "tif", out tif, out error))
            {
                return null;
            }

            if (tif is not ("Gtc" or "Ioc" or "Alo"))
            {
                return FailOrder($"unknown variant `{tif}`, expected one of `Alo`, `Ioc`, `Gtc`", out error);
            }
        }
        else if (orderType["trigger"] is JsonObject)
        {
            isTrigger = true;
        }
        else
        {
            return FailOrder("invalid value for `t`: expected `limit` or `trigger`", out error);
        }

        string? cloid = null;
        if (order["c"] is { } c)
        {
            if (c.GetValueKind() != JsonValueKind.String || !Addresses.TryNormalizeCloid(c.GetValue<string>(), out cloid))
            {
                return FailOrder("invalid value for `c`: expected a 16-byte 0x-hex cloid", out error);
            }
        }

        return new OrderRequest(asset, isBuy, Number(px), Number(sz), reduceOnly, tif, isTrigger, cloid);
    }

    private static ParsedAction? ParseCancels(JsonObject action, out string? error)
    {
        if (!JsonFields.TryArray(action, "cancels", out var cancels, out error))
        {
            return null;
        }

        var items = new List<CancelRequest>();
        foreach (var node in cancels)
        {
            if (node is not JsonObject cancel || !JsonFields.TryLong(cancel, "a", out var asset, out error) || !JsonFields.TryLong(cancel, "o", out var oid, out error))
            {
                error ??= "invalid type for cancel: expected an object";
                return null;
            }

            items.Add(new CancelRequest(asset, oid));
        }

        return new ParsedAction.Cancels(items);
    }

    private static ParsedAction? ParseCancelsByCloid(JsonObject action, out string? error)
    {
        if (!JsonFields.TryArray(action, "cancels", out var cancels, out error))
        {
            return null;
        }

        var items = new List<CancelByCloidRequest>();
        foreach (var node in cancels)
        {
            if (node is not JsonObject cancel || !JsonFields.TryLong(cancel, "asset", out var asset, out error) || !JsonFields.TryString(cancel, "cloid", out var raw, out error))
            {
                error ??= "invalid type for cancel: expected an object";
                return null;
            }

            if (!Addresses.TryNormalizeCloid(raw, out var cloid))
            {
                return Fail("invalid value for `cloid`: expected a 16-byte 0x-hex cloid", out error);
            }

            items.Add(new CancelByCloidRequest(asset, cloid));
        }

        return new ParsedAction.CancelsByCloid(items);
    }

    private static ParsedAction? ParseScheduleCancel(JsonObject action, out string? error) =>
        JsonFields.TryOptionalLong(action, "time", out var time, out error) ? new ParsedAction.ScheduleCancel(time) : null;

    private static ParsedAction? ParseUpdateLeverage(JsonObject action, out string? error) =>
        JsonFields.TryLong(action, "asset", out var asset, out error)
        && JsonFields.TryBool(action, "isCross", out var isCross, out error)
        && JsonFields.TryLong(action, "leverage", out var leverage, out error)
            ? new ParsedAction.UpdateLeverage(asset, isCross, (int)Math.Clamp(leverage, 0, 1000))
            : null;

    private static bool TryVault(JsonObject body, out string? vault, out string? error)
    {
        vault = null;
        error = null;
        if (body["vaultAddress"] is not { } node)
        {
            return true;
        }

        if (node.GetValueKind() != JsonValueKind.String || !Addresses.TryNormalizeAddress(node.GetValue<string>(), out vault))
        {
            error = "invalid value for `vaultAddress`: expected a 42-character 0x-hex address";
            return false;
        }

        return true;
    }

    private static decimal? Number(string text) =>
        decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static ParsedAction? Fail(string message, out string? error)
    {
        error = message;
        return null;
    }

    private static OrderRequest? FailOrder(string message, out string? error)
    {
        error = message;
        return null;
    }
}
