using HyperFunctions.Alerts;
using HyperFunctions.Alerts.Channels;
using HyperFunctions.Domain.Alerts;
using HyperFunctions.Domain.Safety;
using HyperFunctions.Storage.Alerts;

namespace HyperFunctions.Functions.Tests.Alerts;

public sealed class AlertChannelPayloadTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private static AlertDelivery Delivery(int level, string action = "TRIGGER", string title = "Heartbeat lost") =>
        new("a1:1:x", "a1", "check:HeartbeatCheck:WS_HEARTBEAT_LOST", "x", action, level,
            action == "RESOLVE" ? AlertDelivery.Resolved : AlertDelivery.Triggered, title, "no message for 31 s", "HeartbeatCheck", At, At, At, "default", 1);

    [Theory]
    [InlineData(1, "info")]
    [InlineData(2, "warning")]
    [InlineData(3, "error")]
    [InlineData(4, "critical")]
    public void PagerDuty_maps_each_level_to_its_severity(int level, string severity)
    {
        var body = PagerDutyChannel.Payload(Delivery(level), "rk");
        Assert.Equal(severity, (string?)body["payload"]!["severity"]);
        Assert.Equal("trigger", (string?)body["event_action"]);
        Assert.Equal("2026-11-23T10:00:00.000Z", (string?)body["payload"]!["timestamp"]);
    }

    [Fact]
    public void A_PagerDuty_resolve_carries_only_the_routing_key_action_and_dedup_key()
    {
        var body = PagerDutyChannel.Payload(Delivery(4, "RESOLVE"), "rk");
        Assert.Equal(["routing_key", "event_action", "dedup_key"], body.Select(kv => kv.Key));
        Assert.Equal("resolve", (string?)body["event_action"]);
    }

    [Fact]
    public void Slack_text_escapes_its_control_characters_and_names_level_and_state()
    {
        var text = (string?)SlackChannel.Payload(Delivery(2, "ESCALATE", "a <b> & c"))["text"];
        Assert.StartsWith(":warning: *[L2 operations] ESCALATED* a &lt;b&gt; &amp; c", text, StringComparison.Ordinal);
        Assert.StartsWith(":white_check_mark: *[L2 operations] RESOLVED*", (string?)SlackChannel.Payload(Delivery(2, "RESOLVE"))["text"], StringComparison.Ordinal);
    }

    [Fact]
    public void The_webhook_body_has_every_documented_field()
    {
        var body = WebhookChannel.Payload(Delivery(3));
        Assert.Equal(
            ["key", "level", "levelName", "status", "action", "title", "detail", "source", "at", "openedAt", "notifiedAt", "instance", "alertId", "sequence", "deliveryId"],
            body.Select(kv => kv.Key));
        Assert.Equal("[HyperFunctions default] [L3 risk] TRIGGERED: Heartbeat lost", SmtpChannel.Subject(Delivery(3)));
    }

    [Fact]
    public void Only_transitions_into_and_out_of_HALT_are_alerts()
    {
        SafetyTransition T(SafetyMode? from, SafetyMode to) => new(7, from, to, ReasonCode.ManualHalt, "desk call", "operator", At, "sha256:x", "halt");
        var into = LedgerAlertSignaller.SignalFor(T(SafetyMode.ArmedLive, SafetyMode.Halt), At)!;
        Assert.Equal(("ledger:halt", AlertLevel.EmergencyHalt, true), (into.Key, into.Level, into.Active));
        Assert.Contains("MANUAL_HALT", into.Title, StringComparison.Ordinal);
        Assert.True(LedgerAlertSignaller.SignalFor(T(null, SafetyMode.Halt), At)!.Active); // genesis in HALT
        Assert.False(LedgerAlertSignaller.SignalFor(T(SafetyMode.Halt, SafetyMode.ArmedSafe), At)!.Active);
        Assert.Null(LedgerAlertSignaller.SignalFor(T(SafetyMode.ArmedLive, SafetyMode.ArmedSafe), At));
        Assert.Null(LedgerAlertSignaller.SignalFor(T(SafetyMode.Halt, SafetyMode.Halt), At));
    }
}
