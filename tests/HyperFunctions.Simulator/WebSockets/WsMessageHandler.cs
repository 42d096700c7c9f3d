using System.Text.Json;
using System.Text.Json.Nodes;
using HyperFunctions.Simulator.Exchange;
using HyperFunctions.Simulator.Json;

namespace HyperFunctions.Simulator.WebSockets;

/// <summary>Handles one client text message: ping, subscribe, unsubscribe; anything else gets the venue's error message.</summary>
internal sealed class WsMessageHandler(ExchangeState state, SubscriptionSnapshots snapshots)
{
    public const int MaxSubscriptions = 1000;
    public const int MaxUsers = 10;

    public void Handle(WsConnection connection, string text)
    {
        JsonObject? request;
        try
        {
            request = JsonNode.Parse(text, documentOptions: SimJson.ParseOptions) as JsonObject;
        }
        catch (JsonException)
        {
            request = null;
        }

        var method = request?["method"] is { } node && node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;
        switch (method)
        {
            case "ping":
                connection.Send(Envelope.Pong);
                return;
            case "subscribe" or "unsubscribe" when request!["subscription"] is JsonObject subscription:
                HandleSubscription(connection, method, subscription, text);
                return;
            case "post":
                connection.Send(Envelope.Error("Websocket post requests are not supported by the simulator; use REST /info and /exchange."));
                return;
            default:
                connection.Send(Envelope.Error($"Error parsing JSON into valid websocket request: {text}"));
                return;
        }
    }

    private void HandleSubscription(WsConnection connection, string method, JsonObject subscription, string text)
    {
        lock (state.Gate)
        {
            var verdict = SubscriptionParser.Parse(subscription, state, out var parsed);
            var echo = subscription.ToJsonString(SimJson.NodeOptions);
            if (verdict == SubscriptionVerdict.Malformed)
            {
                connection.Send(Envelope.Error($"Error parsing JSON into valid websocket request: {text}"));
                return;
            }

            if (verdict == SubscriptionVerdict.Invalid)
            {
                connection.Send(Envelope.Error($"Invalid subscription: {echo}"));
                return;
            }

            if (method == "subscribe")
            {
                Subscribe(connection, parsed!, echo);
            }
            else if (connection.RemoveSubscription(parsed!.Key))
            {
                connection.Send(Ack(method, subscription));
            }
            else
            {
                connection.Send(Envelope.Error($"Already unsubscribed: {echo}"));
            }
        }
    }

    private void Subscribe(WsConnection connection, Subscription subscription, string echo)
    {
        var existing = connection.Subscriptions();
        if (existing.Count >= MaxSubscriptions)
        {
            connection.Send(Envelope.Error($"Cannot subscribe to more than {MaxSubscriptions} channels."));
            return;
        }

        if (subscription.User is { } user && !existing.Any(s => s.User == user) && existing.Where(s => s.User is not null).Select(s => s.User).Distinct().Count() >= MaxUsers)
        {
            connection.Send(Envelope.Error($"Cannot track more than {MaxUsers} total users."));
            return;
        }

        if (!connection.TryAddSubscription(subscription))
        {
            connection.Send(Envelope.Error($"Already subscribed: {echo}"));
            return;
        }

        connection.Send(Ack("subscribe", subscription.Original));
        if (snapshots.For(subscription) is { } snapshot)
        {
            connection.Send(snapshot);
        }
    }

    private static ReadOnlyMemory<byte> Ack(string method, JsonObject subscription) =>
        Envelope.Channel("subscriptionResponse", new JsonObject { ["method"] = method, ["subscription"] = subscription.DeepClone() });
}
