using HyperFunctions.Hyperliquid.Models;

namespace HyperFunctions.Hyperliquid.Rest;

/// <summary>
/// Typed <c>POST /info</c> client. Failures surface as <see cref="HyperliquidException"/> subclasses;
/// every good answer is cached (see <see cref="TryGetCached{T}(InfoRequestKind, string, out T, out TimeSpan)"/>).
/// </summary>
public interface IHyperliquidInfoClient
{
    /// <summary><c>allMids</c>: mid price per coin.</summary>
    Task<IReadOnlyDictionary<string, decimal>> GetAllMidsAsync(CancellationToken cancellationToken);

    /// <summary><c>l2Book</c> for a coin.</summary>
    Task<L2Book> GetL2BookAsync(string coin, CancellationToken cancellationToken);

    /// <summary><c>meta</c>: the perp universe (index = asset id).</summary>
    Task<Meta> GetMetaAsync(CancellationToken cancellationToken);

    /// <summary><c>metaAndAssetCtxs</c>: universe plus funding/mark/oracle per asset.</summary>
    Task<MetaAndAssetContexts> GetMetaAndAssetContextsAsync(CancellationToken cancellationToken);

    /// <summary><c>clearinghouseState</c>: positions and margin of a user.</summary>
    Task<ClearinghouseState> GetClearinghouseStateAsync(string user, CancellationToken cancellationToken);

    /// <summary><c>openOrders</c> of a user.</summary>
    Task<IReadOnlyList<VenueOrder>> GetOpenOrdersAsync(string user, CancellationToken cancellationToken);

    /// <summary><c>userFills</c>: most recent fills first (capped by the venue).</summary>
    Task<IReadOnlyList<Fill>> GetUserFillsAsync(string user, CancellationToken cancellationToken);

    /// <summary><c>userFillsByTime</c>: fills in a window (capped per answer; page by time).</summary>
    Task<IReadOnlyList<Fill>> GetUserFillsByTimeAsync(string user, DateTimeOffset startTime, DateTimeOffset? endTime, CancellationToken cancellationToken);

    /// <summary><c>orderStatus</c> by order id.</summary>
    Task<OrderStatusResult> GetOrderStatusAsync(string user, long oid, CancellationToken cancellationToken);

    /// <summary><c>orderStatus</c> by client order id (<c>0x</c> + 32 hex).</summary>
    Task<OrderStatusResult> GetOrderStatusAsync(string user, string cloid, CancellationToken cancellationToken);

    /// <summary><c>fundingHistory</c> of a coin in a window (hourly entries).</summary>
    Task<IReadOnlyList<FundingRecord>> GetFundingHistoryAsync(string coin, DateTimeOffset startTime, DateTimeOffset? endTime, CancellationToken cancellationToken);

    /// <summary>
    /// Last good answer of <paramref name="kind"/> for a scope: empty for allMids/meta/metaAndAssetCtxs,
    /// the coin for l2Book/fundingHistory, the user for user requests, <c>user/oid</c> for orderStatus.
    /// </summary>
    bool TryGetCached<T>(InfoRequestKind kind, string scope, out T? value, out TimeSpan age);

    /// <summary>Most recent good answer of <paramref name="kind"/>, any scope.</summary>
    bool TryGetCached<T>(InfoRequestKind kind, out T? value, out TimeSpan age);
}
