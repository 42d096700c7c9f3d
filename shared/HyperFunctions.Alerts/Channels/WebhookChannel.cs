using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using HyperFunctions.Storage.Alerts;

namespace HyperFunctions.Alerts.Channels;

/// <summary>
/// Generic JSON webhook: POSTs the alert as one flat object (docs/alerts.md, "webhook"). With a SecretVariable,
/// its value goes as <c>Authorization: Bearer …</c>.
/// </summary>
public sealed class WebhookChannel(string name, Uri url, string? bearerToken, IHttpClientFactory clients) : HttpAlertChannel(name, clients)
{
    public override string Kind => "webhook";

    protected override Uri? Target => url;

    protected override void Decorate(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (bearerToken is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
    }

    protected override JsonObject Body(AlertDelivery d) => Payload(d);

    /// <summary>The webhook body: key, level, status, title, detail, source, at, instance and the delivery's identity.</summary>
    public static JsonObject Payload(AlertDelivery d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new JsonObject
        {
            ["key"] = d.Key,
            ["level"] = d.Level,
            ["levelName"] = AlertWording.LevelName(d.Level),
            ["status"] = d.Status,
            ["action"] = d.Action,
            ["title"] = d.Title,
            ["detail"] = d.Detail,
            ["source"] = d.Source,
            ["at"] = Iso(d.At),
            ["openedAt"] = Iso(d.OpenedAt),
            ["notifiedAt"] = Iso(d.NotifiedAt),
            ["instance"] = d.Instance,
            ["alertId"] = d.AlertId,
            ["sequence"] = d.Sequence,
            ["deliveryId"] = d.DeliveryId,
        };
    }
}
