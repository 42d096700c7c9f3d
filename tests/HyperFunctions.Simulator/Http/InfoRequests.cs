namespace HyperFunctions.Simulator.Http;

/// <summary>Supported /info request types and their documented weights.</summary>
internal static class InfoRequests
{
    /// <summary>Types that add one weight unit per 20 items returned.</summary>
    public static readonly IReadOnlySet<string> ItemWeighted = new HashSet<string>(StringComparer.Ordinal) { "userFills", "userFillsByTime", "fundingHistory" };

    private static readonly IReadOnlySet<string> Light = new HashSet<string>(StringComparer.Ordinal) { "l2Book", "allMids", "clearinghouseState", "orderStatus" };

    private static readonly IReadOnlySet<string> Supported = new HashSet<string>(StringComparer.Ordinal)
    {
        "allMids", "l2Book", "meta", "metaAndAssetCtxs", "clearinghouseState", "openOrders", "userFills", "userFillsByTime", "orderStatus", "fundingHistory",
    };

    public static bool IsSupported(string type) => Supported.Contains(type);

    public static int BaseWeight(string type) => Light.Contains(type) ? 2 : 20;
}
