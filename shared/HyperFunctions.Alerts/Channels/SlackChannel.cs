using System.Text.Json.Nodes;
using HyperFunctions.Storage.Alerts;

namespace HyperFunctions.Alerts.Channels;

/// <summary>
/// Slack incoming webhook: <c>{"text": …}</c> (mrkdwn). The webhook URL is a secret: it comes from the variable the
/// channel names, is never logged or shown, and requests to it are kept out of traces.
/// </summary>
public sealed class SlackChannel(string name, string? webhookUrl, string? secretVariable, IHttpClientFactory clients) : HttpAlertChannel(name, clients)
{
    private readonly Uri? _url = ParseUrl(webhookUrl);

    public override string Kind => "slack";

    protected override Uri? Target => _url;

    protected override string MissingTarget => $"the webhook URL variable {secretVariable} is not set";

    protected override bool TraceRequests => false;

    protected override JsonObject Body(AlertDelivery d) => Payload(d);

    public static JsonObject Payload(AlertDelivery d)
    {
        ArgumentNullException.ThrowIfNull(d);
        var icon = d.IsResolve ? ":white_check_mark:" : d.Level >= 4 ? ":rotating_light:" : ":warning:";
        var text = $"{icon} *{AlertWording.Headline(d)}* {Escape(d.Title)}\n{Escape(d.Detail)}\n`{Escape(d.Key)}` · instance `{Escape(d.Instance)}` · {Escape(d.Source)} · {Iso(d.At)}";
        return new JsonObject { ["text"] = text };
    }

    /// <summary>Slack's three control characters in mrkdwn.</summary>
    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
