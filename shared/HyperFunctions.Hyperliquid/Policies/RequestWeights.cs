namespace HyperFunctions.Hyperliquid.Policies;

/// <summary>
/// Request weights as the venue counts them against the per-IP budget (1200 per minute).
/// Assumed from the public rate-limit table: l2Book, allMids, clearinghouseState, orderStatus weigh 2;
/// other info requests 20; userFills, userFillsByTime and fundingHistory add 1 per 20 items returned;
/// an exchange action weighs 1 + floor(batch length / 40). See docs/hyperliquid-client.md.
/// </summary>
public static class RequestWeights
{
    /// <summary>Weight of an exchange action without a batch.</summary>
    public const int ExchangeBase = 1;

    /// <summary>The weight charged before sending an info request.</summary>
    public static int Info(InfoRequestKind kind) => kind switch
    {
        InfoRequestKind.AllMids or InfoRequestKind.L2Book or InfoRequestKind.ClearinghouseState
            or InfoRequestKind.OrderStatus => 2,
        _ => 20,
    };

    /// <summary>Extra weight the venue charges for the items an answer returned.</summary>
    public static int ExtraForItems(InfoRequestKind kind, int itemCount) => kind switch
    {
        InfoRequestKind.UserFills or InfoRequestKind.UserFillsByTime or InfoRequestKind.FundingHistory
            => Math.Max(0, itemCount) / 20,
        _ => 0,
    };

    /// <summary>Weight of an exchange action carrying <paramref name="batchLength"/> orders or cancels.</summary>
    public static int Exchange(int batchLength) => ExchangeBase + (Math.Max(0, batchLength) / 40);
}
