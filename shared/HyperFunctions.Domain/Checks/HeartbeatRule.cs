using System.Globalization;
using HyperFunctions.Domain.Alerts;
using HyperFunctions.Domain.Safety;
using HyperFunctions.Domain.Streaming;

namespace HyperFunctions.Domain.Checks;

/// <summary>The keeper's heartbeat as the HeartbeatCheck reads it (from its row in storage).</summary>
/// <param name="WrittenAt">When the keeper last wrote the row.</param>
/// <param name="LastDataAt">Last venue data message or good REST poll (pongs and acks do not count).</param>
public sealed record HeartbeatFacts(DateTimeOffset WrittenAt, bool Connected, DataSource Source, DateTimeOffset? LastDataAt, DateTimeOffset? ConnectedSince, string Leader, string? LastDisconnect);

public sealed record HeartbeatThresholds(TimeSpan MaxDataSilence, TimeSpan MaxKeeperHeartbeatAge);

/// <summary>
/// WS_HEARTBEAT_LOST (ARMED_SAFE) when the keeper is dead (no heartbeat row, or older than the limit), when
/// there has been no connection for longer than the silence limit, or when no venue data message arrived
/// for longer than that while subscribed. The message names which. A keeper on REST fallback with fresh
/// data is degraded, not lost: no condition, a level-1 notice, and no recovery time accrues (the healthy
/// clock starts when the socket carries the data again).
/// </summary>
public static class HeartbeatRule
{
    public const string RestFallbackNotice = "rest-fallback";

    public static CheckVerdict Evaluate(string check, HeartbeatFacts? facts, DateTimeOffset now, HeartbeatThresholds limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        if (facts is null)
            return Lost(check, "keeper dead: no keeper heartbeat row has been written (is the keeper running?)", data, onRest: false);

        var heartbeatAge = now - facts.WrittenAt;
        data["heartbeatAgeSeconds"] = Seconds(heartbeatAge);
        data["source"] = facts.Source.ToWire();
        data["connected"] = facts.Connected ? "true" : "false";
        data["leader"] = facts.Leader;
        // Before the first data message the silence counts from when the connection's data started to flow.
        var silence = (facts.LastDataAt ?? facts.ConnectedSince) is { } last ? now - last : (TimeSpan?)null;
        if (silence is { } s) data["dataAgeSeconds"] = Seconds(s);
        var onRest = facts.Source == DataSource.Rest;

        if (heartbeatAge > limits.MaxKeeperHeartbeatAge)
            return Lost(check, $"keeper dead: its heartbeat row is {Seconds(heartbeatAge)} s old (limit {Seconds(limits.MaxKeeperHeartbeatAge)} s), last written by {facts.Leader}", data, onRest);

        var silent = silence is null || silence > limits.MaxDataSilence;
        if (silent && !facts.Connected && !onRest)
            return Lost(check, $"no connection: the keeper has had no venue data for {Describe(silence)} (limit {Seconds(limits.MaxDataSilence)} s) and is not connected (last disconnect: {facts.LastDisconnect ?? "none"})", data, onRest);
        if (silent)
            return Lost(check, onRest
                ? $"no venue data for {Describe(silence)} (limit {Seconds(limits.MaxDataSilence)} s) although the keeper polls REST"
                : $"no venue data message for {Describe(silence)} while subscribed (limit {Seconds(limits.MaxDataSilence)} s; pongs and acks do not count)", data, onRest);

        if (onRest)
        {
            return CheckVerdict.Of(check, CheckHealth.Degraded,
                $"degraded: the keeper is on REST fallback (data {Describe(silence)} old); WebSocket reconnects continue in the background",
                [ConditionVerdict.Healthy(ReasonCode.WsHeartbeatLost, SafetyMode.ArmedSafe, AlertLevel.Operations,
                    "Venue data arrives over REST fallback; recovery time starts when the WebSocket carries it again.", healthySince: now)],
                [RestNotice(true, facts)], data);
        }
        return CheckVerdict.Of(check, CheckHealth.Healthy, $"venue data {Describe(silence)} old over the WebSocket; keeper heartbeat {Seconds(heartbeatAge)} s old",
            [ConditionVerdict.Healthy(ReasonCode.WsHeartbeatLost, SafetyMode.ArmedSafe, AlertLevel.Operations, "Venue data flows over the WebSocket.")],
            [RestNotice(false, facts)], data);
    }

    private static CheckVerdict Lost(string check, string why, Dictionary<string, string> data, bool onRest) =>
        CheckVerdict.Of(check, CheckHealth.Unhealthy, why,
            [ConditionVerdict.Raise(ReasonCode.WsHeartbeatLost, SafetyMode.ArmedSafe, AlertLevel.Operations, "WebSocket heartbeat lost: " + why)],
            onRest ? [new CheckNotice(RestFallbackNotice, true, AlertLevel.AutomatedRecovery, "Keeper on REST fallback", "The keeper polls REST instead of the WebSocket.")] : [],
            data);

    private static CheckNotice RestNotice(bool active, HeartbeatFacts facts) =>
        new(RestFallbackNotice, active, AlertLevel.AutomatedRecovery,
            active ? "Keeper on REST fallback" : "Keeper back on the WebSocket",
            active ? $"The keeper ({facts.Leader}) polls REST after repeated WebSocket failures; it keeps retrying the socket and hands back once it is stable."
                   : $"The keeper ({facts.Leader}) receives venue data over the WebSocket again.");

    private static string Describe(TimeSpan? age) => age is { } a ? Seconds(a) + " s" : "its whole run so far (none received yet)";

    private static string Seconds(TimeSpan t) => Math.Max(0, t.TotalSeconds).ToString("F0", CultureInfo.InvariantCulture);
}
