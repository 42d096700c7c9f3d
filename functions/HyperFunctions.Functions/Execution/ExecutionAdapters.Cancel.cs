using System.Text.Json.Nodes;
using HyperFunctions.Configuration;
using HyperFunctions.Domain.Execution;
using HyperFunctions.Hyperliquid.Configuration;
using HyperFunctions.Hyperliquid.Models;
using HyperFunctions.Hyperliquid.Rest;
using HyperFunctions.Hyperliquid.Signing;

namespace HyperFunctions.Functions.Execution;

/// <summary>What became of a scheduleCancel: the time armed (null: cleared), whether the venue took it, its text when not.</summary>
public sealed record ScheduleCancelOutcome(DateTimeOffset? At, bool Armed, string? Error);

/// <summary>Cancels through signed <c>cancel</c>, <c>cancelByCloid</c> and <c>scheduleCancel</c> actions; open orders from info <c>openOrders</c>.</summary>
public sealed partial class HyperliquidExecutionAdapter
{
    public async Task<CancelledOrder> CancelAsync(string coin, string cloid, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(coin);
        ArgumentException.ThrowIfNullOrEmpty(cloid);
        var results = await SendCancelsAsync([new VenueOrder(coin, "", 0m, 0m, 0, 0, 0m, cloid)], byCloid: true, ct);
        return results.Orders.Single();
    }

    public async Task<CancelledOrder> CancelAsync(string coin, long oid, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(coin);
        var results = await SendCancelsAsync([new VenueOrder(coin, "", 0m, 0m, oid, 0, 0m)], byCloid: false, ct);
        return results.Orders.Single();
    }

    public async Task<CancelAllReport> CancelAllAsync(CancellationToken ct)
    {
        var started = time.GetTimestamp();
        if (positions.Account is not { } account) return new CancelAllReport([], TimeSpan.Zero, NoKeyOrAccount());
        IReadOnlyList<VenueOrder> open;
        try
        {
            open = await info.GetOpenOrdersAsync(account, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            return new CancelAllReport([], time.GetElapsedTime(started), $"Could not read the open orders: {ex.Message}");
        }

        if (open.Count == 0) return new CancelAllReport([], time.GetElapsedTime(started), null);
        // By oid: every open order has one, and all go in ONE action whatever their cloids.
        var report = await SendCancelsAsync(open, byCloid: false, ct);
        return report with { Duration = time.GetElapsedTime(started) };
    }

    public async Task<ScheduleCancelOutcome> ScheduleCancelAsync(DateTimeOffset? at, CancellationToken ct)
    {
        if (configuration.Secrets.HyperliquidPrivateKey is not { } key) return new ScheduleCancelOutcome(at, false, NoKeyOrAccount());
        try
        {
            var action = L1Actions.ScheduleCancel(at?.ToUnixTimeMilliseconds());
            var result = await exchange.PostAsync(L1Actions.SignedBody(key, action, NextNonce(), IsMainnetSource), ct);
            return result.IsOk ? new ScheduleCancelOutcome(at, at is not null, null) : new ScheduleCancelOutcome(at, false, result.Error ?? "The venue refused scheduleCancel.");
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            return new ScheduleCancelOutcome(at, false, ex.Message);
        }
    }

    /// <summary>The phantom-agent source: mainnet's for Mainnet and the simulator, testnet's for Testnet (as for orders).</summary>
    private bool IsMainnetSource => venue.Value.Network is HyperliquidNetwork.Mainnet or HyperliquidNetwork.Simulator;

    private string NoKeyOrAccount() =>
        configuration.Secrets.HyperliquidPrivateKey is null
            ? $"No signing key: set {HyperFunctionsSecrets.HyperliquidPrivateKeyVariable}."
            : $"No account: set {HyperFunctionsSecrets.HyperliquidAccountVariable}.";

    /// <summary>One batched cancel (by oid) or cancelByCloid action for the orders; the answer per order, in order.</summary>
    private async Task<CancelAllReport> SendCancelsAsync(IReadOnlyList<VenueOrder> orders, bool byCloid, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        CancelAllReport Fail(string why) =>
            new(orders.Select(o => new CancelledOrder(o.Coin, o.Oid, o.Cloid, false, why)).ToList(), time.GetElapsedTime(started), why);

        if (configuration.Secrets.HyperliquidPrivateKey is not { } key || positions.Account is null) return Fail(NoKeyOrAccount());
        try
        {
            var meta = await info.GetMetaAsync(ct);
            var assets = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < meta.Universe.Count; i++) assets.TryAdd(meta.Universe[i].Name, i);

            // Orders in a coin the venue does not list cannot be named in an action; they are reported, the rest go.
            var sendable = orders.Where(o => assets.ContainsKey(o.Coin)).ToList();
            var answers = new Dictionary<VenueOrder, CancelledOrder>(ReferenceEqualityComparer.Instance);
            foreach (var o in orders.Where(o => !assets.ContainsKey(o.Coin)))
                answers[o] = new CancelledOrder(o.Coin, o.Oid, o.Cloid, false, $"The venue lists no perpetual {o.Coin}.");

            if (sendable.Count > 0)
            {
                var action = byCloid
                    ? L1Actions.CancelByCloid(sendable.Select(o => (assets[o.Coin], o.Cloid!)))
                    : L1Actions.Cancel(sendable.Select(o => (assets[o.Coin], o.Oid)));
                var result = await exchange.PostAsync(L1Actions.SignedBody(key, action, NextNonce(), IsMainnetSource), ct);
                if (!result.IsOk) return Fail($"The venue refused the cancel: {result.Error}");
                var statuses = result.Response?["data"]?["statuses"] as JsonArray;
                for (var i = 0; i < sendable.Count; i++)
                {
                    var o = sendable[i];
                    var status = statuses is not null && i < statuses.Count ? statuses[i] : null;
                    answers[o] = status is JsonValue v && v.TryGetValue<string>(out var text) && text == "success"
                        ? new CancelledOrder(o.Coin, o.Oid, o.Cloid, true, null)
                        : new CancelledOrder(o.Coin, o.Oid, o.Cloid, false, status?["error"]?.ToString() ?? $"No status for this order in the venue's answer: {status?.ToJsonString() ?? "none"}.");
                }
            }

            return new CancelAllReport(orders.Select(o => answers[o]).ToList(), time.GetElapsedTime(started), null);
        }
        catch (ExchangeOutcomeUnknownException ex)
        {
            return Fail($"Outcome unknown, the cancel may have reached the venue: {ex.Message}");
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            return Fail($"Not cancelled: {ex.Message}");
        }
    }
}

/// <summary>Paper cancels: its paper resting orders are cancelled in memory; there is no venue switch to arm.</summary>
public sealed partial class PaperExecutionAdapter
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _resting = new(StringComparer.Ordinal);

    public Task<CancelledOrder> CancelAsync(string coin, string cloid, CancellationToken ct) =>
        Task.FromResult(_resting.TryRemove(cloid, out var restingCoin)
            ? Cancelled(restingCoin, cloid)
            : new CancelledOrder(coin, 0, cloid, false, "Paper: no resting paper order with this cloid."));

    public Task<CancelledOrder> CancelAsync(string coin, long oid, CancellationToken ct) =>
        Task.FromResult(new CancelledOrder(coin, oid, null, false, "Paper: paper orders have no venue order id; cancel by cloid."));

    public Task<CancelAllReport> CancelAllAsync(CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var cancelled = new List<CancelledOrder>();
        foreach (var cloid in _resting.Keys.Order(StringComparer.Ordinal).ToList())
        {
            if (_resting.TryRemove(cloid, out var coin)) cancelled.Add(Cancelled(coin, cloid));
        }
        return Task.FromResult(new CancelAllReport(cancelled, time.GetElapsedTime(started), null));
    }

    public Task<ScheduleCancelOutcome> ScheduleCancelAsync(DateTimeOffset? at, CancellationToken ct) =>
        Task.FromResult(new ScheduleCancelOutcome(at, false, "Paper: there is no venue dead man's switch to arm (nothing rests at a venue)."));

    private CancelledOrder Cancelled(string coin, string cloid)
    {
        _placed[cloid] = new PlacementOutcome(OrderStatus.Canceled, "Paper: cancelled.", VenueStatus: "canceled");
        return new CancelledOrder(coin, 0, cloid, true, null);
    }
}
