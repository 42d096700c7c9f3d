using System.Globalization;
using System.Text.Json.Nodes;
using HyperFunctions.Configuration;
using HyperFunctions.Domain.Execution;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Hyperliquid.Configuration;
using HyperFunctions.Hyperliquid.Models;
using HyperFunctions.Hyperliquid.Rest;
using HyperFunctions.Hyperliquid.Signing;
using HyperFunctions.Storage.Execution;
using Microsoft.Extensions.Options;

namespace HyperFunctions.Functions.Execution;

/// <summary>
/// What an adapter learned about an order: a result status, the venue's words, and its facts; <paramref name="VenueStatus"/> is
/// the venue's own status text when it was asked by cloid (orderStatus: e.g. <c>open</c>, <c>scheduledCancel</c>, <c>marginCanceled</c>).
/// </summary>
/// <param name="PlacedAt">When the venue took the order, on the venue's clock (from orderStatus); null when not known.</param>
public sealed record PlacementOutcome(OrderStatus Status, string Reason, VenueFacts? Venue = null, string? VenueStatus = null, DateTimeOffset? PlacedAt = null);

/// <summary>Sends orders somewhere and answers what became of a cloid. Implementations never log the signing key.</summary>
public interface IExecutionAdapter
{
    string Name { get; }

    /// <summary>Places the order. Throws when it certainly did not reach the venue (the message is retried); returns UNKNOWN when it may have.</summary>
    Task<PlacementOutcome> PlaceAsync(OrderIntent intent, bool reduceOnly, CancellationToken ct);

    /// <summary>What the venue knows about the cloid; null when it does not know it (never placed).</summary>
    Task<PlacementOutcome?> FindAsync(string cloid, CancellationToken ct);

    /// <summary>
    /// The size-weighted average fill price of each given order (cloid → the venue's filled size), from the own account's
    /// fills since <paramref name="since"/>; an order whose fills found do not add up to its filled size is left out.
    /// </summary>
    Task<IReadOnlyDictionary<string, decimal>> AverageFillPricesAsync(DateTimeOffset since, IReadOnlyDictionary<string, decimal> filledByCloid, CancellationToken ct);

    /// <summary>Cancels one open order of the own account by its cloid (<c>cancelByCloid</c>). Never throws for a venue failure: the answer says.</summary>
    Task<CancelledOrder> CancelAsync(string coin, string cloid, CancellationToken ct);

    /// <summary>Cancels one open order of the own account by its venue order id (<c>cancel</c>). Never throws for a venue failure: the answer says.</summary>
    Task<CancelledOrder> CancelAsync(string coin, long oid, CancellationToken ct);

    /// <summary>Reads the own account's open orders and cancels them all in one batched action; per order what became of it.</summary>
    Task<CancelAllReport> CancelAllAsync(CancellationToken ct);

    /// <summary>Arms (a time) or clears (null) the venue's dead man's switch, which cancels every open order at that time.</summary>
    Task<ScheduleCancelOutcome> ScheduleCancelAsync(DateTimeOffset? at, CancellationToken ct);
}

/// <summary>The account's signed position per coin at the venue (clearinghouseState of the own account).</summary>
public sealed class VenuePositions(IHyperliquidInfoClient info, LoadedConfiguration configuration)
{
    /// <summary>The own account: Hyperliquid__AccountAddress, else the key's own address; null when neither is set.</summary>
    public string? Account { get; } = OwnAccountOf(configuration);

    /// <summary>Hyperliquid__AccountAddress, else the signing key's own address (lower case); null when neither is set.</summary>
    public static string? OwnAccountOf(LoadedConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.Secrets.HyperliquidAccountAddress
            ?? (configuration.Secrets.HyperliquidPrivateKey is { } key && TryAddress(key) is { } a ? a : null);
    }

    public async Task<decimal> PositionAsync(string coin, CancellationToken ct)
    {
        if (Account is null) return 0m;
        var state = await info.GetClearinghouseStateAsync(Account, ct);
        return state.AssetPositions.Where(p => string.Equals(p.Position.Coin, coin, StringComparison.Ordinal)).Sum(p => p.Position.Szi);
    }

    /// <summary>The limit price, or the venue's mid for a market order.</summary>
    public async Task<decimal?> ReferencePriceAsync(OrderIntent intent, CancellationToken ct)
    {
        if (intent.LimitPrice is { } px) return px;
        var mids = await info.GetAllMidsAsync(ct);
        return mids.TryGetValue(intent.Coin, out var mid) ? mid : null;
    }

    private static string? TryAddress(string key)
    {
        try
        {
            return EthereumAddress.FromPrivateKey(key).ToLowerInvariant();
        }
        catch (InvalidPrivateKeyException)
        {
            return null;
        }
    }
}

/// <summary>
/// Signed <c>/exchange</c> orders through <see cref="IHyperliquidExchangeClient"/>. A market order goes out as
/// an IOC limit at mid × (1 ± slippage), rounded to the venue's price rules, as the official SDK does.
/// </summary>
public sealed partial class HyperliquidExecutionAdapter(
    IHyperliquidExchangeClient exchange, IHyperliquidInfoClient info, VenuePositions positions, LoadedConfiguration configuration,
    IOptions<HyperliquidOptions> venue, TimeProvider time) : IExecutionAdapter
{
    public const string AdapterName = "Hyperliquid";
    private long _lastNonce;

    public string Name => AdapterName;

    public async Task<PlacementOutcome> PlaceAsync(OrderIntent intent, bool reduceOnly, CancellationToken ct)
    {
        if (configuration.Secrets.HyperliquidPrivateKey is not { } key)
            return new PlacementOutcome(OrderStatus.Blocked, $"No signing key: set {HyperFunctionsSecrets.HyperliquidPrivateKeyVariable}.");
        var meta = await info.GetMetaAsync(ct);
        var asset = -1;
        for (var i = 0; i < meta.Universe.Count; i++)
        {
            if (string.Equals(meta.Universe[i].Name, intent.Coin, StringComparison.Ordinal)) asset = i;
        }
        if (asset < 0) return new PlacementOutcome(OrderStatus.Rejected, $"The venue lists no perpetual {intent.Coin}.");
        var szDecimals = meta.Universe[asset].SzDecimals;
        decimal price;
        if (intent.LimitPrice is { } limit) price = limit;
        else
        {
            var mid = await positions.ReferencePriceAsync(intent, ct) ?? throw new HyperliquidUnavailableException($"No mid for {intent.Coin}.");
            price = WireFormat.RoundPrice(mid * (intent.IsBuy ? 1 + intent.Slippage!.Value : 1 - intent.Slippage!.Value), szDecimals);
        }

        string p, s;
        try
        {
            (p, s) = (WireFormat.FloatToWire(price), WireFormat.FloatToWire(intent.Size));
        }
        catch (ArgumentException ex)
        {
            return new PlacementOutcome(OrderStatus.Rejected, $"Not sendable: {ex.Message}");
        }

        var order = new JsonObject
        {
            ["a"] = asset,
            ["b"] = intent.IsBuy,
            ["p"] = p,
            ["s"] = s,
            ["r"] = reduceOnly,
            ["t"] = new JsonObject { ["limit"] = new JsonObject { ["tif"] = intent.Tif.ToString() } },
            ["c"] = intent.Cloid,
        };
        var action = new JsonObject { ["type"] = "order", ["orders"] = new JsonArray(order), ["grouping"] = "na" };
        var nonce = NextNonce();
        var signature = HyperliquidSigner.SignL1Action(key, action, nonce, null, venue.Value.Network == HyperliquidNetwork.Mainnet || venue.Value.Network == HyperliquidNetwork.Simulator);
        var body = new JsonObject
        {
            ["action"] = action,
            ["nonce"] = nonce,
            ["signature"] = new JsonObject { ["r"] = signature.R, ["s"] = signature.S, ["v"] = signature.V },
            ["vaultAddress"] = null,
        };
        ExchangeResult result;
        try
        {
            result = await exchange.PostAsync(body, ct);
        }
        catch (ExchangeOutcomeUnknownException ex)
        {
            return new PlacementOutcome(OrderStatus.Unknown, $"The venue may have the order: {ex.Message}");
        }
        return Map(result);
    }

    public async Task<PlacementOutcome?> FindAsync(string cloid, CancellationToken ct)
    {
        if (positions.Account is not { } account) return null;
        var status = await info.GetOrderStatusAsync(account, cloid, ct);
        if (!status.IsKnown) return null;
        var o = status.Order!;
        var facts = new VenueFacts(o.Order.Oid, o.Order.OrigSz - o.Order.Sz, null);
        var result = VenueOrderStatus.Classify(o.Status);
        var reason = result switch
        {
            OrderStatus.Filled => "The venue reports the order filled (found by cloid).",
            OrderStatus.Resting => "The venue reports the order open (found by cloid).",
            OrderStatus.Rejected => $"The venue reports the order rejected, status {o.Status} (found by cloid).",
            OrderStatus.Canceled => $"The venue reports the order canceled, status {o.Status} (found by cloid).",
            _ => $"The venue knows the order with status {o.Status} (found by cloid).",
        };
        return new PlacementOutcome(result, reason, facts, o.Status, DateTimeOffset.FromUnixTimeMilliseconds(o.Order.Timestamp));
    }

    /// <summary>One <c>userFillsByTime</c> page from <paramref name="since"/> (weight 20), whatever the number of orders.</summary>
    public async Task<IReadOnlyDictionary<string, decimal>> AverageFillPricesAsync(DateTimeOffset since, IReadOnlyDictionary<string, decimal> filledByCloid, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filledByCloid);
        var prices = new Dictionary<string, decimal>(StringComparer.Ordinal);
        if (filledByCloid.Count == 0 || positions.Account is not { } account) return prices;
        var fills = await info.GetUserFillsByTimeAsync(account, since, null, ct);
        foreach (var (cloid, filled) in filledByCloid)
        {
            var mine = fills.Where(f => string.Equals(f.Cloid, cloid, StringComparison.OrdinalIgnoreCase)).Select(f => (f.Px, f.Sz));
            if (ExecutionRules.AverageFillPrice(mine, filled) is { } price) prices[cloid] = price;
        }
        return prices;
    }

    private static PlacementOutcome Map(ExchangeResult result)
    {
        if (!result.IsOk) return new PlacementOutcome(OrderStatus.Rejected, result.Error ?? "The venue refused the action.");
        var first = result.Response?["data"]?["statuses"]?[0];
        if (first?["error"] is { } error) return new PlacementOutcome(OrderStatus.Rejected, error.ToString());
        if (first?["filled"] is JsonObject filled)
        {
            return new PlacementOutcome(OrderStatus.Filled, "Filled.", new VenueFacts((long?)filled["oid"], Decimal(filled["totalSz"]), Decimal(filled["avgPx"])));
        }
        if (first?["resting"] is JsonObject resting) return new PlacementOutcome(OrderStatus.Resting, "Resting on the book.", new VenueFacts((long?)resting["oid"], null, null));
        return new PlacementOutcome(OrderStatus.Accepted, "The venue accepted the order: " + (first?.ToJsonString() ?? "no status"));
    }

    private static decimal? Decimal(JsonNode? node) =>
        node is null ? null : decimal.TryParse(node.ToString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : null;

    /// <summary>The current time in ms, strictly increasing within this process (the venue refuses a reused nonce).</summary>
    private long NextNonce()
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        while (true)
        {
            var last = Interlocked.Read(ref _lastNonce);
            var next = Math.Max(now, last + 1);
            if (Interlocked.CompareExchange(ref _lastNonce, next, last) == last) return next;
        }
    }
}

/// <summary>
/// Paper trading: fills a marketable order at the keeper's book snapshot (best ask for buys, best bid for
/// sells) without sending anything; a limit order that does not cross rests (on paper, forever). Results
/// live in this process's memory and in the order table.
/// </summary>
public sealed partial class PaperExecutionAdapter(StreamFactsSource stream, TimeProvider time) : IExecutionAdapter
{
    public const string AdapterName = "Paper";
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, PlacementOutcome> _placed = new(StringComparer.Ordinal);

    public string Name => AdapterName;

    public Task<PlacementOutcome> PlaceAsync(OrderIntent intent, bool reduceOnly, CancellationToken ct)
    {
        var (_, markets) = stream.View(time.GetUtcNow());
        if (!markets.TryGetValue(intent.Coin, out var market) || (intent.IsBuy ? market.BestAsk : market.BestBid) is not { } touch)
            return Task.FromResult(new PlacementOutcome(OrderStatus.Rejected, $"Paper: no book snapshot for {intent.Coin} from the keeper."));
        var crosses = intent.LimitPrice is not { } limit || (intent.IsBuy ? limit >= touch : limit <= touch);
        var outcome = crosses
            ? new PlacementOutcome(OrderStatus.Filled, $"Paper fill at the keeper's book ({(intent.IsBuy ? "best ask" : "best bid")} {touch.ToString(CultureInfo.InvariantCulture)}).", new VenueFacts(null, intent.Size, touch))
            : intent.Tif == TimeInForce.Ioc
                ? new PlacementOutcome(OrderStatus.Rejected, "Paper: an IOC order that does not cross the book is not placed.")
                : new PlacementOutcome(OrderStatus.Resting, "Paper: resting (the paper adapter does not fill resting orders later).");
        _placed[intent.Cloid] = outcome;
        if (outcome.Status == OrderStatus.Resting) _resting[intent.Cloid] = intent.Coin;
        return Task.FromResult(outcome);
    }

    public Task<PlacementOutcome?> FindAsync(string cloid, CancellationToken ct) => Task.FromResult(_placed.GetValueOrDefault(cloid));

    /// <summary>Paper fills at once, with its price in the result, and never fills a resting order later: nothing to add.</summary>
    public Task<IReadOnlyDictionary<string, decimal>> AverageFillPricesAsync(DateTimeOffset since, IReadOnlyDictionary<string, decimal> filledByCloid, CancellationToken ct) =>
        Task.FromResult<IReadOnlyDictionary<string, decimal>>(new Dictionary<string, decimal>());
}
