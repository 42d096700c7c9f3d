using System.Text.Json.Nodes;
using HyperFunctions.Storage.Alerts;

namespace HyperFunctions.Alerts.Channels;

/// <summary>
/// PagerDuty Events API v2: a trigger (also for escalations and reminders: PagerDuty folds them into the incident
/// by dedup_key) or a resolve, with the alert key as dedup_key. Levels map to severity 1 info, 2 warning, 3 error,
/// 4 critical. The routing key is a secret from the variable the channel names.
/// </summary>
public sealed class PagerDutyChannel(string name, Uri url, string? routingKey, string? secretVariable, IHttpClientFactory clients) : HttpAlertChannel(name, clients)
{
    public override string Kind => "pagerduty";

    protected override Uri? Target => routingKey is null ? null : url;

    protected override string MissingTarget => $"the routing key variable {secretVariable} is not set";

    protected override JsonObject Body(AlertDelivery d) => Payload(d, routingKey ?? "");

    public static string Severity(int level) => level switch
    {
        1 => "info",
        2 => "warning",
        3 => "error",
        _ => "critical",
    };

    public static JsonObject Payload(AlertDelivery d, string routingKey)
    {
        ArgumentNullException.ThrowIfNull(d);
        var body = new JsonObject
        {
            ["routing_key"] = routingKey,
            ["event_action"] = d.IsResolve ? "resolve" : "trigger",
            ["dedup_key"] = d.Key,
        };
        if (d.IsResolve) return body; // a resolve needs only the key it closes
        var summary = $"{AlertWording.Headline(d)} {d.Title}: {d.Detail}";
        body["payload"] = new JsonObject
        {
            ["summary"] = summary.Length <= 1024 ? summary : summary[..1023] + "…",
            ["source"] = $"hyperfunctions/{d.Instance}",
            ["severity"] = Severity(d.Level),
            ["timestamp"] = Iso(d.At),
            ["component"] = d.Source,
            ["custom_details"] = new JsonObject
            {
                ["key"] = d.Key,
                ["level"] = d.Level,
                ["level_name"] = AlertWording.LevelName(d.Level),
                ["action"] = d.Action,
                ["detail"] = d.Detail,
                ["alert_id"] = d.AlertId,
                ["opened_at"] = Iso(d.OpenedAt),
                ["instance"] = d.Instance,
            },
        };
        return body;
    }
}
