using System.Diagnostics;
using HyperFunctions.Alerts.Channels;
using HyperFunctions.Storage;
using HyperFunctions.Storage.Alerts;
using Microsoft.Extensions.Logging;

namespace HyperFunctions.Alerts;

/// <summary>
/// Sends one queued delivery to its channel and records the outcome (GET /api/status shows the last per channel).
/// Delivered, skipped (channel disabled) and permanent failures complete the message; a transient failure throws
/// <see cref="AlertDeliveryException"/>, so the queue redelivers it after its visibility timeout and, after
/// maxDequeueCount attempts, moves it to the poison queue.
/// </summary>
public sealed partial class AlertDeliverer(
    AlertChannelSet channels, AlertTableStore store, Configuration.LoadedConfiguration configuration, TimeProvider time, ILogger<AlertDeliverer> logger, AlertMetrics? metrics = null)
{
    private readonly int _maxAttempts = configuration.Settings.Alerts.MaxDeliveryAttempts;
    private readonly TimeSpan _storageTimeout = TimeSpan.FromSeconds(configuration.Settings.Storage.OperationTimeoutSeconds);

    /// <param name="attempt">The queue's dequeue count (1 for the first attempt); null when the host could not say.</param>
    public async Task<string> DeliverAsync(AlertDelivery delivery, long? attempt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (!channels.TryGet(delivery.Channel, out var channel, out var enabled))
        {
            await RecordAsync(delivery, "unknown", "failed", "the channel is no longer configured", ct);
            return $"{delivery.DeliveryId}: failed, channel '{delivery.Channel}' is not configured";
        }
        if (!enabled)
        {
            await RecordAsync(delivery, channel.Kind, "skipped", "channel disabled", ct);
            return $"{delivery.DeliveryId}: skipped, channel disabled";
        }

        var started = Stopwatch.GetTimestamp();
        DeliveryResult result;
        try
        {
            result = await channel.SendAsync(delivery, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            result = DeliveryResult.Transient($"{ex.GetType().Name}"); // the message may hold a secret URL: only the type
        }
        var elapsed = Stopwatch.GetElapsedTime(started);
        var outcome = result.Outcome switch
        {
            DeliveryOutcome.Delivered => "delivered",
            DeliveryOutcome.Permanent => "failed",
            _ => attempt is { } n && n >= _maxAttempts ? "failed" : "retrying",
        };
        metrics?.Delivery(channel.Name, channel.Kind, outcome, elapsed);
        await RecordAsync(delivery, channel.Kind, outcome, result.Detail, ct);

        switch (result.Outcome)
        {
            case DeliveryOutcome.Delivered:
                LogDelivered(delivery.Key, delivery.Action, delivery.Level, channel.Name, result.Detail);
                return $"{delivery.DeliveryId}: delivered ({result.Detail})";
            case DeliveryOutcome.Permanent:
                LogPermanent(delivery.Key, delivery.Action, channel.Name, result.Detail);
                return $"{delivery.DeliveryId}: failed for good ({result.Detail})";
            default:
                if (outcome == "failed") LogGaveUp(delivery.Key, channel.Name, attempt ?? 0, result.Detail);
                throw new AlertDeliveryException($"Delivery to {channel.Kind} channel '{channel.Name}' failed ({result.Detail}); attempt {attempt?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}, the queue retries it.");
        }
    }

    private async Task RecordAsync(AlertDelivery d, string kind, string outcome, string detail, CancellationToken ct)
    {
        try
        {
            await StorageTimeout.BoundAsync(t => store.RecordOutcomeAsync(new ChannelOutcome(d.Channel, kind, outcome, time.GetUtcNow(), detail, d.Key, d.Level), t), _storageTimeout, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // The outcome is for the status page; failing the delivery for it would send the alert again.
            LogRecordFailed(d.Channel, FailureEpisode.OneLine(ex));
        }
    }

    [LoggerMessage(EventId = 1310, Level = LogLevel.Information, Message = "Alert {Key} {Action} (level {Level}) delivered to {Channel}: {Detail}")]
    private partial void LogDelivered(string key, string action, int level, string channel, string detail);

    [LoggerMessage(EventId = 1311, Level = LogLevel.Error, Message = "Alert {Key} {Action} refused by {Channel} ({Detail}); not retried: fix the channel's configuration")]
    private partial void LogPermanent(string key, string action, string channel, string detail);

    [LoggerMessage(EventId = 1312, Level = LogLevel.Error, Message = "Alert {Key}: delivery to {Channel} still failing after {Attempts} attempts ({Detail}); recorded as failed, the queue moves it to poison")]
    private partial void LogGaveUp(string key, string channel, long attempts, string detail);

    [LoggerMessage(EventId = 1313, Level = LogLevel.Warning, Message = "Could not record the delivery outcome of channel {Channel}: {Cause}")]
    private partial void LogRecordFailed(string channel, string cause);
}

/// <summary>A delivery that may succeed later: thrown so the queue redelivers the message. Its message holds no secret.</summary>
public sealed class AlertDeliveryException(string message) : Exception(message);
