namespace HyperFunctions.Configuration;

/// <summary>
/// The alert pipeline (docs/alerts.md): channels, which levels go to which channels, and the timing of
/// reminders and escalation. Secrets (a Slack webhook URL, a PagerDuty routing key, an SMTP password, a
/// webhook bearer token) never appear here: a channel names the environment variable that holds its secret.
/// </summary>
public sealed class AlertSettings
{
    public const int DefaultThrottleSeconds = 300;
    public const int DefaultEscalateAfterSeconds = 300;

    /// <summary>The receivers; null means none. (Null, not an empty list: the binder appends to a list it finds.)</summary>
    public List<AlertChannelSettings>? Channels { get; set; }

    /// <summary>Level ("1".."4") → channel names. A level with no route sends nothing (the alert is still recorded).</summary>
    public Dictionary<string, List<string>>? Routes { get; set; }

    /// <summary>A condition that stays active re-notifies at most once per this many seconds.</summary>
    public int ThrottleSeconds { get; set; } = DefaultThrottleSeconds;

    /// <summary>An alert open this long at one level moves up one level (at most 4).</summary>
    public int EscalateAfterSeconds { get; set; } = DefaultEscalateAfterSeconds;

    /// <summary>Resolved alerts kept for GET /api/alerts?state=recent: at most this many…</summary>
    public int RecentLimit { get; set; } = 200;

    /// <summary>…and for at most this many hours after they resolved.</summary>
    public int RecentRetentionHours { get; set; } = 72;

    /// <summary>Table holding open and recent alerts and the last delivery outcome per channel.</summary>
    public string Table { get; set; } = "HfAlerts";

    /// <summary>The attempt at which a delivery that keeps failing is recorded as failed for good (set it to host.json's maxDequeueCount, which then moves the message to the poison queue).</summary>
    public int MaxDeliveryAttempts { get; set; } = 5;

    /// <summary>Time allowed for one delivery attempt (HTTP request or SMTP session).</summary>
    public int DeliveryTimeoutSeconds { get; set; } = 10;
}

/// <summary>One receiver of alerts. Kind: webhook, slack, pagerduty or smtp.</summary>
public sealed class AlertChannelSettings
{
    public string Name { get; set; } = "";
    public string Kind { get; set; } = "";
    public bool Enabled { get; set; } = true;

    /// <summary>webhook: where to POST (required). pagerduty: the Events API v2 endpoint (default https://events.pagerduty.com/v2/enqueue). slack: not used (the webhook URL is a secret).</summary>
    public string? Url { get; set; }

    /// <summary>The environment variable holding this channel's secret: slack the webhook URL, pagerduty the routing key (both required), smtp the password (with UserName), webhook an optional bearer token.</summary>
    public string? SecretVariable { get; set; }

    /// <summary>smtp: server host name.</summary>
    public string? Host { get; set; }

    /// <summary>smtp: server port (default 25).</summary>
    public int? Port { get; set; }

    /// <summary>smtp: STARTTLS (default false; true for a real relay).</summary>
    public bool? UseTls { get; set; }

    /// <summary>smtp: user name for AUTH; its password comes from SecretVariable.</summary>
    public string? UserName { get; set; }

    /// <summary>smtp: sender address.</summary>
    public string? From { get; set; }

    /// <summary>smtp: recipients.</summary>
    public List<string>? To { get; set; }
}

/// <summary>The channel kinds, with their wire names.</summary>
public static class AlertChannelKinds
{
    public const string Webhook = "webhook";
    public const string Slack = "slack";
    public const string PagerDuty = "pagerduty";
    public const string Smtp = "smtp";

    public const string DefaultPagerDutyUrl = "https://events.pagerduty.com/v2/enqueue";

    public static IReadOnlyList<string> All { get; } = [Webhook, Slack, PagerDuty, Smtp];
}
