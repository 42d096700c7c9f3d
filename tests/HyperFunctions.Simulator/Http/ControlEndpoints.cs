using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HyperFunctions.Simulator.Core;
using HyperFunctions.Simulator.Exchange;
using HyperFunctions.Simulator.Json;
using HyperFunctions.Simulator.Market;
using HyperFunctions.Simulator.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HyperFunctions.Simulator.Http;

/// <summary>
/// The simulator's own control API under /_sim (never weighed, never faulted): state, faults, market.
/// </summary>
internal sealed class ControlEndpoints(
    SimClock clock,
    ExchangeState state,
    SimulatorFaults faults,
    SimulatorStats stats,
    ConnectionRegistry registry,
    SimulatorMarket market)
{
    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/_sim/state", (HttpContext c) => HttpIo.WriteJson(c, Envelope.Body(State(), SimJson.Wire.SimulatorStateView)));
        routes.MapGet("/_sim/faults", ListFaults);
        routes.MapPost("/_sim/faults", InjectFault);
        routes.MapDelete("/_sim/faults", (HttpContext c) =>
        {
            faults.Clear();
            c.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });
        routes.MapDelete("/_sim/faults/{id}", RemoveFault);
        routes.MapPost("/_sim/market/tick", (HttpContext c) => HttpIo.WriteJson(c, HttpIo.Utf8($"{{\"ticked\":{(market.Tick() ? "true" : "false")}}}")));
        routes.MapPost("/_sim/market/price", SetPrice);
    }

    private Task ListFaults(HttpContext context)
    {
        IReadOnlyList<FaultView> views = faults.Active.Select(View).ToList();
        return HttpIo.WriteJson(context, Envelope.Body(views, SimJson.Wire.IReadOnlyListFaultView));
    }

    private async Task InjectFault(HttpContext context)
    {
        var (ok, node) = await HttpIo.ReadJsonAsync(context);
        if (!ok)
        {
            return;
        }

        if (node is not JsonObject json)
        {
            await HttpIo.WriteText(context, StatusCodes.Status400BadRequest, "Invalid fault: expected a JSON object.");
            return;
        }

        if (!FaultSpecJson.TryParse(json, out var spec, out var error))
        {
            await HttpIo.WriteText(context, StatusCodes.Status400BadRequest, $"Invalid fault: {error}");
            return;
        }

        var handle = faults.Inject(spec!);
        await HttpIo.WriteJson(context, Envelope.Body(View(handle), SimJson.Wire.FaultView));
    }

    private Task RemoveFault(HttpContext context)
    {
        var raw = context.Request.RouteValues["id"] as string;
        var removed = long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && faults.Remove(id);
        context.Response.StatusCode = removed ? StatusCodes.Status204NoContent : StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    private async Task SetPrice(HttpContext context)
    {
        var (ok, node) = await HttpIo.ReadJsonAsync(context);
        if (!ok)
        {
            return;
        }

        if (node is not JsonObject json
            || !JsonFields.TryString(json, "coin", out var coin, out _)
            || state.FindCoin(coin) is null
            || json["price"] is not JsonValue priceNode
            || !TryDecimal(priceNode, out var price)
            || price <= 0m)
        {
            await HttpIo.WriteText(context, StatusCodes.Status400BadRequest, "Expected {\"coin\": <listed coin>, \"price\": <positive number or decimal string>}.");
            return;
        }

        market.SetPrice(coin, price);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private SimulatorStateView State()
    {
        Dictionary<string, string> mids;
        Dictionary<string, long> scheduledCancels;
        lock (state.Gate)
        {
            mids = MarketViews.Mids(state.Coins);
            scheduledCancels = state.Accounts
                .Where(a => a.ScheduledCancelAtMs is not null)
                .ToDictionary(a => a.Address, a => a.ScheduledCancelAtMs!.Value, StringComparer.Ordinal);
        }

        var counters = new CountersView(
            stats.ActiveConnections,
            stats.TotalConnections,
            stats.ConnectionsRejected,
            stats.ConnectionsAborted,
            stats.ConnectionsClosedByServer,
            stats.MessagesSent,
            stats.MessagesSuppressed,
            stats.MessagesReceived,
            stats.RestRequests,
            stats.RateLimitedResponses,
            stats.PendingDelays,
            stats.MarketTicks,
            stats.FundingUpdates);
        var connections = registry.Snapshot().Select(c => c.Describe()).Select(c => new ConnectionView(
            c.Id, c.Remote, c.ConnectedAt.ToUnixTimeMilliseconds(), c.Subscriptions, c.MessagesSent, c.MessagesReceived, c.MessagesSuppressed, c.IsSilenced)).ToList();
        return new SimulatorStateView(clock.NowMs, mids, counters, connections, faults.Active.Select(View).ToList(), scheduledCancels);
    }

    private static FaultView View(FaultHandle handle) =>
        new(handle.Id, FaultSpecJson.Camel(handle.Kind.ToString()), handle.Remaining, handle.Applied, handle.Fault.ExpiresAt?.ToUnixTimeMilliseconds(), handle.IsActive);

    private static bool TryDecimal(JsonValue node, out decimal value)
    {
        value = 0m;
        return node.GetValueKind() switch
        {
            JsonValueKind.Number => node.TryGetValue(out value),
            JsonValueKind.String => decimal.TryParse(node.GetValue<string>(), NumberStyles.Number, CultureInfo.InvariantCulture, out value),
            _ => false,
        };
    }
}
