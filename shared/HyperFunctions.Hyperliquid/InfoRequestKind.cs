namespace HyperFunctions.Hyperliquid;

/// <summary>The <c>/info</c> request types this client speaks (the wire <c>type</c> is camelCase).</summary>
public enum InfoRequestKind
{
    /// <summary><c>allMids</c></summary>
    AllMids,

    /// <summary><c>l2Book</c></summary>
    L2Book,

    /// <summary><c>meta</c></summary>
    Meta,

    /// <summary><c>metaAndAssetCtxs</c></summary>
    MetaAndAssetCtxs,

    /// <summary><c>clearinghouseState</c></summary>
    ClearinghouseState,

    /// <summary><c>openOrders</c></summary>
    OpenOrders,

    /// <summary><c>userFills</c></summary>
    UserFills,

    /// <summary><c>userFillsByTime</c></summary>
    UserFillsByTime,

    /// <summary><c>orderStatus</c></summary>
    OrderStatus,

    /// <summary><c>fundingHistory</c></summary>
    FundingHistory,
}
