using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using HyperFunctions.Hyperliquid.Models;
using HyperFunctions.Hyperliquid.Policies;
using HyperFunctions.Hyperliquid.Serialization;
using Microsoft.Extensions.Logging;

namespace HyperFunctions.Hyperliquid.Rest;

/// <summary>Typed <c>/info</c> client over an <see cref="HttpClient"/> configured by <c>AddHyperliquidClients</c>.</summary>
public sealed partial class HyperliquidInfoClient(
    HttpClient http,
    ResponseCache cache,
    WeightBudgetGate gate,
    ILogger<HyperliquidInfoClient> logger) : IHyperliquidInfoClient
{
    private static readonly HyperliquidJsonContext Json = HyperliquidJsonContext.Default;

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, decimal>> GetAllMidsAsync(CancellationToken cancellationToken) =>
        await SendAsync(InfoRequestKind.AllMids, string.Empty, new TypeOnlyRequest("allMids"), Json.TypeOnlyRequest, Json.DictionaryStringDecimal, null, cancellationToken);

    /// <inheritdoc />
    public Task<L2Book> GetL2BookAsync(string coin, CancellationToken cancellationToken) =>
        SendAsync(InfoRequestKind.L2Book, coin, new CoinRequest("l2Book", coin), Json.CoinRequest, Json.L2Book, null, cancellationToken);

    /// <inheritdoc />
    public Task<Meta> GetMetaAsync(CancellationToken cancellationToken) =>
        SendAsync(InfoRequestKind.Meta, string.Empty, new TypeOnlyRequest("meta"), Json.TypeOnlyRequest, Json.Meta, null, cancellationToken);

    /// <inheritdoc />
    public Task<MetaAndAssetContexts> GetMetaAndAssetContextsAsync(CancellationToken cancellationToken) =>
        SendAsync(InfoRequestKind.MetaAndAssetCtxs, string.Empty, new TypeOnlyRequest("metaAndAssetCtxs"), Json.TypeOnlyRequest, Json.MetaAndAssetContexts, null, cancellationToken);

    /// <inheritdoc />
    public Task<ClearinghouseState> GetClearinghouseStateAsync(string user, CancellationToken cancellationToken) =>
        SendAsync(InfoRequestKind.ClearinghouseState, user, new UserRequest("clearinghouseState", user), Json.UserRequest, Json.ClearinghouseState, null, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<VenueOrder>> GetOpenOrdersAsync(string user, CancellationToken cancellationToken) =>
        await SendAsync(InfoRequestKind.OpenOrders, user, new UserRequest("openOrders", user), Json.UserRequest, Json.ListVenueOrder, null, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<Fill>> GetUserFillsAsync(string user, CancellationToken cancellationToken) =>
        await SendAsync(InfoRequestKind.UserFills, user, new UserRequest("userFills", user), Json.UserRequest, Json.ListFill, static l => l.Count, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<Fill>> GetUserFillsByTimeAsync(string user, DateTimeOffset startTime, DateTimeOffset? endTime, CancellationToken cancellationToken) =>
        await SendAsync(
            InfoRequestKind.UserFillsByTime,
            user,
            new UserTimeRequest("userFillsByTime", user, startTime.ToUnixTimeMilliseconds(), endTime?.ToUnixTimeMilliseconds()),
            Json.UserTimeRequest,
            Json.ListFill,
            static l => l.Count,
            cancellationToken);

    /// <inheritdoc />
    public Task<OrderStatusResult> GetOrderStatusAsync(string user, long oid, CancellationToken cancellationToken) =>
        SendAsync(InfoRequestKind.OrderStatus, $"{user}/{oid}", new OrderStatusByOidRequest("orderStatus", user, oid), Json.OrderStatusByOidRequest, Json.OrderStatusResult, null, cancellationToken);

    /// <inheritdoc />
    public Task<OrderStatusResult> GetOrderStatusAsync(string user, string cloid, CancellationToken cancellationToken) =>
        SendAsync(InfoRequestKind.OrderStatus, $"{user}/{cloid}", new OrderStatusByCloidRequest("orderStatus", user, cloid), Json.OrderStatusByCloidRequest, Json.OrderStatusResult, null, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<FundingRecord>> GetFundingHistoryAsync(string coin, DateTimeOffset startTime, DateTimeOffset? endTime, CancellationToken cancellationToken) =>
        await SendAsync(
            InfoRequestKind.FundingHistory,
            coin,
            new CoinTimeRequest("fundingHistory", coin, startTime.ToUnixTimeMilliseconds(), endTime?.ToUnixTimeMilliseconds()),
            Json.CoinTimeRequest,
            Json.ListFundingRecord,
            static l => l.Count,
            cancellationToken);

    /// <inheritdoc />
    public bool TryGetCached<T>(InfoRequestKind kind, string scope, out T? value, out TimeSpan age) =>
        cache.TryGet(kind, scope, out value, out age);

    /// <inheritdoc />
    public bool TryGetCached<T>(InfoRequestKind kind, out T? value, out TimeSpan age) =>
        cache.TryGet(kind, out value, out age);

    private async Task<TResponse> SendAsync<TRequest, TResponse>(
        InfoRequestKind kind,
        string scope,
        TRequest body,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType,
        Func<TResponse, int>? itemCount,
        CancellationToken cancellationToken)
        where TResponse : class
    {
        var endpoint = "info:" + kind;
        using var request = new HttpRequestMessage(HttpMethod.Post, "info")
        {
            Content = JsonContent.Create(body, requestType),
        };
        request.Options.Set(RequestTags.Weight, RequestWeights.Info(kind));
        request.Options.Set(RequestTags.Endpoint, endpoint);

        using var response = await ResilientSend.SendAsync(http, request, endpoint, cancellationToken);
        TResponse? value;
        try
        {
            value = await response.Content.ReadFromJsonAsync(responseType, cancellationToken);
        }
        catch (JsonException ex)
        {
            // Debug only: the caller tells the story (the keeper counts it as bad input and logs it once per
            // episode); a wrong answer repeated by every poll must not write a stack trace per poll.
            LogBadAnswer(ex, endpoint);
            // The content is buffered (ResponseContentRead), so it can be read again to show what came.
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HyperliquidBadAnswerException(response.StatusCode, endpoint, text, ex.Message.Split('.', 2)[0], ex);
        }

        if (value is null)
        {
            throw new HyperliquidBadAnswerException(response.StatusCode, endpoint, "null", "null where a value was expected");
        }

        if (itemCount is not null)
        {
            gate.Charge(RequestWeights.ExtraForItems(kind, itemCount(value)));
        }

        cache.Store(kind, scope, value);
        return value;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Hyperliquid {Endpoint} answer could not be parsed")]
    private partial void LogBadAnswer(Exception exception, string endpoint);
}
