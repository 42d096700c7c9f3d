using System.Globalization;
using System.Text.Json.Nodes;

namespace HyperFunctions.Simulator.WebSockets;

/// <summary>A validated subscription. <see cref="Key"/> identifies it within a connection.</summary>
internal sealed record Subscription(string Type, string Key, string Channel, JsonObject Original, string? Coin = null, string? User = null, int? NSigFigs = null, int? Mantissa = null);

/// <summary>Subscription keys, shared by the parser and the publishers.</summary>
internal static class SubscriptionKeys
{
    public const string AllMids = "allMids";

    public static string L2Book(string coin, int? nSigFigs, int? mantissa) =>
        nSigFigs is null ? $"l2Book:{coin}" : string.Create(CultureInfo.InvariantCulture, $"l2Book:{coin}:{nSigFigs}:{mantissa ?? 1}");

    public static string Trades(string coin) => $"trades:{coin}";

    public static string Bbo(string coin) => $"bbo:{coin}";

    public static string ActiveAssetCtx(string coin) => $"activeAssetCtx:{coin}";

    public static string UserFills(string user, bool aggregateByTime = false) => aggregateByTime ? $"userFills:{user}:aggregated" : $"userFills:{user}";

    public static string OrderUpdates(string user) => $"orderUpdates:{user}";

    public static string UserEvents(string user) => $"userEvents:{user}";
}
