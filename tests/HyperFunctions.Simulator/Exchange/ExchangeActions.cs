using System.Text.Json.Nodes;

namespace HyperFunctions.Simulator.Exchange;

/// <summary>
/// Executes a verified /exchange request for its recovered signer: account resolution, nonce rule,
/// then the action. Answers the venue's body: <c>{"status":"ok","response":…}</c> or <c>{"status":"err","response":"…"}</c>.
/// </summary>
internal sealed class ExchangeActions(
    ExchangeState state,
    OrderPlacement placement,
    Cancellation cancellation,
    ScheduledCancels scheduledCancels,
    IFeed feed,
    SimulatorStats stats)
{
    public JsonObject Execute(ExchangeRequest request, ParsedAction action, string signer)
    {
        lock (state.Gate)
        {
            var account = state.ResolveAccount(signer, request.VaultAddress) ?? AutoRegister(signer, request.VaultAddress);
            if (account is null)
            {
                return Err(request.VaultAddress is not null && state.FindAccount(signer) is not null
                    ? $"User or API Wallet {signer} is not authorized for vault {request.VaultAddress}."
                    : $"User or API Wallet {signer} does not exist.");
            }

            var nonceError = state.NoncesOf(signer).TryUse(request.Nonce, state.Clock.NowMs);
            if (nonceError is not null)
            {
                return Err(nonceError);
            }

            if (request.ExpiresAfter is { } expiresAfter && expiresAfter < state.Clock.NowMs)
            {
                return Err($"Action expired: expiresAfter {expiresAfter} is before the current time {state.Clock.NowMs}.");
            }

            var batch = new EventBatch();
            var answer = Dispatch(account, action, batch);
            feed.Publish(batch);
            return answer;
        }
    }

    /// <summary>
    /// Places one order for <paramref name="address"/> without a signed request (the simulator's own bots); the fills
    /// and order updates go out on the feed like any others. Not counted in <see cref="SimulatorStats.Orders"/>.
    /// </summary>
    public System.Text.Json.Nodes.JsonNode PlaceAs(string address, OrderRequest order)
    {
        lock (state.Gate)
        {
            var account = state.FindAccount(address) ?? throw new InvalidOperationException($"No account {address}.");
            var batch = new EventBatch();
            var status = placement.Place(account, order, state.Ids.NextHash(), batch);
            feed.Publish(batch);
            return status;
        }
    }

    private JsonObject Dispatch(AccountState account, ParsedAction action, EventBatch batch)
    {
        switch (action)
        {
            case ParsedAction.Orders { Items.Count: 0 }:
                return Err("Order batch is empty.");
            case ParsedAction.Orders { Grouping: not "na" } orders:
                return Err($"Grouping \"{orders.Grouping}\" is not supported by the simulator (only \"na\").");
            case ParsedAction.Orders orders:
                stats.OrdersReceived(orders.Items.Count);
                var hash = state.Ids.NextHash();
                return Statuses("order", orders.Items.Select(o => placement.Place(account, o, hash, batch)));
            case ParsedAction.Cancels cancels:
                return Statuses("cancel", cancels.Items.Select(c => cancellation.Cancel(account, c, batch)));
            case ParsedAction.CancelsByCloid cancels:
                return Statuses("cancel", cancels.Items.Select(c => cancellation.CancelByCloid(account, c, batch)));
            case ParsedAction.ScheduleCancel schedule:
                var error = scheduledCancels.Schedule(account, schedule.TimeMs);
                return error is null ? Default() : Err(error);
            case ParsedAction.UpdateLeverage leverage:
                return UpdateLeverage(account, leverage);
            default:
                return Default();
        }
    }

    private JsonObject UpdateLeverage(AccountState account, ParsedAction.UpdateLeverage request)
    {
        var coin = state.FindAsset(request.Asset);
        if (coin is null)
        {
            return Err("Invalid asset.");
        }

        if (!request.IsCross)
        {
            return Err("Isolated margin is not supported by the simulator.");
        }

        if (request.Leverage < 1 || request.Leverage > coin.Config.MaxLeverage)
        {
            return Err($"Invalid leverage value: must be within 1..{coin.Config.MaxLeverage}.");
        }

        account.Leverage[coin.Asset] = request.Leverage;
        return Default();
    }

    private AccountState? AutoRegister(string signer, string? vaultAddress) =>
        state.Options.AutoRegisterSigners && vaultAddress is null
            ? state.AddAccount(new SimulatorAccount(signer) { Usdc = state.Options.AutoRegisteredUsdc })
            : null;

    private static JsonObject Statuses(string type, IEnumerable<JsonNode> statuses) =>
        Ok(new JsonObject
        {
            ["type"] = type,
            ["data"] = new JsonObject { ["statuses"] = new JsonArray(statuses.ToArray()) },
        });

    private static JsonObject Default() => Ok(new JsonObject { ["type"] = "default" });

    private static JsonObject Ok(JsonObject response) => new() { ["status"] = "ok", ["response"] = response };

    public static JsonObject Err(string message) => new() { ["status"] = "err", ["response"] = message };
}
