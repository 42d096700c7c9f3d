using HyperFunctions.Storage.Alerts;

namespace HyperFunctions.Alerts.Channels;

/// <summary>One configured receiver. Sends one delivery; says whether it arrived, may be retried, or never will.</summary>
public interface IAlertChannel
{
    string Name { get; }

    /// <summary>webhook, slack, pagerduty or smtp.</summary>
    string Kind { get; }

    Task<DeliveryResult> SendAsync(AlertDelivery delivery, CancellationToken ct);
}

/// <summary>The outcome of one attempt. <see cref="Detail"/> is safe to show: never a secret, never a secret URL.</summary>
public sealed record DeliveryResult(DeliveryOutcome Outcome, string Detail)
{
    public static DeliveryResult Delivered(string detail) => new(DeliveryOutcome.Delivered, detail);

    /// <summary>Worth another attempt later (network, timeout, 408, 429, 5xx, SMTP 4xx).</summary>
    public static DeliveryResult Transient(string detail) => new(DeliveryOutcome.Transient, detail);

    /// <summary>Will not succeed by retrying (other 4xx, SMTP 5xx, a missing secret).</summary>
    public static DeliveryResult Permanent(string detail) => new(DeliveryOutcome.Permanent, detail);
}

public enum DeliveryOutcome
{
    Delivered,
    Transient,
    Permanent,
}

/// <summary>How alerts are worded for people: level names and one-line summaries.</summary>
public static class AlertWording
{
    public static string LevelName(int level) => level switch
    {
        1 => "automated-recovery",
        2 => "operations",
        3 => "risk",
        4 => "emergency-halt",
        _ => "unknown",
    };

    /// <summary>"[L2 operations] TRIGGERED" / "RESOLVED" / "ESCALATED" / "STILL ACTIVE".</summary>
    public static string Headline(AlertDelivery d)
    {
        ArgumentNullException.ThrowIfNull(d);
        var what = d.Action switch
        {
            "RESOLVE" => "RESOLVED",
            "ESCALATE" => "ESCALATED",
            "RENOTIFY" => "STILL ACTIVE",
            _ => "TRIGGERED",
        };
        return $"[L{d.Level} {LevelName(d.Level)}] {what}";
    }
}
