using System.Text.Json.Nodes;
using HyperFunctions.Hyperliquid.Signing;

namespace HyperFunctions.Simulator.Tests.Support;

/// <summary>Builders of L1 actions with the venue's key order.</summary>
internal static class Actions
{
    public static JsonObject Order(int asset, bool isBuy, decimal px, decimal sz, string tif = "Gtc", bool reduceOnly = false, string? cloid = null)
    {
        var order = new JsonObject
        {
            ["a"] = asset,
            ["b"] = isBuy,
            ["p"] = WireFormat.FloatToWire(px),
            ["s"] = WireFormat.FloatToWire(sz),
            ["r"] = reduceOnly,
            ["t"] = new JsonObject { ["limit"] = new JsonObject { ["tif"] = tif } },
        };
        if (cloid is not null)
        {
            order["c"] = cloid;
        }

        return new JsonObject { ["type"] = "order", ["orders"] = new JsonArray(order), ["grouping"] = "na" };
    }

    public static JsonObject Cancel(int asset, long oid) =>
        new() { ["type"] = "cancel", ["cancels"] = new JsonArray(new JsonObject { ["a"] = asset, ["o"] = oid }) };

    public static JsonObject CancelByCloid(int asset, string cloid) =>
        new() { ["type"] = "cancelByCloid", ["cancels"] = new JsonArray(new JsonObject { ["asset"] = asset, ["cloid"] = cloid }) };

    public static JsonObject ScheduleCancel(long? time)
    {
        var action = new JsonObject { ["type"] = "scheduleCancel" };
        if (time is not null)
        {
            action["time"] = time;
        }

        return action;
    }

    /// <summary>The single status of an order/cancel answer.</summary>
    public static JsonNode Status(JsonObject answer)
    {
        Assert.Equal("ok", (string?)answer["status"]);
        var statuses = answer["response"]!["data"]!["statuses"]!.AsArray();
        return Assert.Single(statuses)!;
    }
}
