using Azure.Storage.Queues;
using HyperFunctions.Domain.Alerts;
using Microsoft.Extensions.Logging;

namespace HyperFunctions.Storage.Alerts;

/// <summary>What <see cref="AlertPipeline.SignalAsync"/> did with a signal.</summary>
/// <param name="Outcome">unchanged, or the notification's action in lower case (trigger, escalate, renotify, resolve).</param>
public sealed record SignalResult(string Outcome, AlertState? Alert, int Deliveries);

/// <summary>What one sweep (the EscalateAlerts timer) did.</summary>
public sealed record SweepResult(int Open, int Escalated, int Renotified, int Redispatched, int Removed)
{
    public override string ToString() => $"{Open} open; {Escalated} escalated, {Renotified} reminded, {Redispatched} pending notifications re-enqueued, {Removed} old resolved removed";
}

/// <summary>
/// The alert pipeline's <see cref="IAlertSink"/>: decides with <see cref="AlertRules"/>, records the alert in the
/// alerts table (ETag-guarded: read, decide, write; on conflict, again), then puts one message per channel on the
/// deliveries queue. It never calls a receiver, so a receiver that is down never blocks a caller. A signal whose
/// storage write fails throws: nothing is lost silently. The write comes first and remembers which notification is
/// not yet on the queue, so a crash between the two is repaired by the next <see cref="SweepAsync"/>.
/// </summary>
public sealed partial class AlertPipeline : IAlertSink
{
    public const int MaxKeyLength = 200;
    public const int MaxTitleLength = 200;
    public const int MaxDetailLength = 4000;
    private const int MaxWriteAttempts = 50;

    /// <summary>A notification still pending this long after it was decided is taken as lost in a crash and enqueued again.</summary>
    public static readonly TimeSpan OutboxGrace = TimeSpan.FromSeconds(30);

    private readonly AlertTableStore _store;
    private readonly QueueClient _queue;
    private readonly AlertPolicy _policy;
    private readonly AlertRouting _routing;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly AlertMetrics? _metrics;
    private readonly ILogger<AlertPipeline> _logger;
    private readonly int _recentLimit;
    private readonly TimeSpan _retention;
    private bool _ready;

    public AlertPipeline(AlertTableStore store, QueueClient queue, AlertPipelineOptions options, TimeProvider time, ILogger<AlertPipeline> logger, AlertMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _queue = queue;
        _policy = options.Policy;
        _routing = options.Routing;
        _timeout = options.OperationTimeout;
        _recentLimit = options.RecentLimit;
        _retention = options.Retention;
        _time = time;
        _logger = logger;
        _metrics = metrics;
    }

    public AlertTableStore Store => _store;

    public string QueueName => _queue.Name;

    public async Task SignalAsync(AlertSignal signal, CancellationToken ct) => await SignalWithResultAsync(signal, ct);

    /// <summary>As <see cref="SignalAsync"/>, saying what happened (tests, logs).</summary>
    public async Task<SignalResult> SignalWithResultAsync(AlertSignal signal, CancellationToken ct)
    {
        signal = Normalize(signal);
        _metrics?.Signal(signal.Level, signal.Active);
        await EnsureReadyAsync(ct);
        for (var attempt = 1; attempt <= MaxWriteAttempts; attempt++)
        {
            var stored = await Bounded(t => _store.ReadAsync(signal.Key, t), ct);
            var decision = AlertRules.OnSignal(stored?.State, signal, _policy, _time.GetUtcNow(), NewAlertId());
            if (decision is not AlertDecision.Changed changed) return new SignalResult("unchanged", stored?.State, 0);
            var enqueued = stored is not null && stored.State.AlertId == changed.Next.AlertId ? stored.EnqueuedSequence : 0;
            if (!await Bounded(t => _store.TryWriteAsync(changed.Next, enqueued, stored?.ETag, t), ct))
            {
                LogConflict(signal.Key, attempt);
                continue;
            }
            var count = changed.Notify is { } n ? await DispatchAsync(changed.Next, n, ct) : 0;
            LogChanged(signal.Key, changed.Notify?.Action.ToString() ?? "-", (int)changed.Next.Level, count);
            return new SignalResult(changed.Notify?.Action.ToString().ToLowerInvariant() ?? "changed", changed.Next, count);
        }
        throw new InvalidOperationException($"Gave up on alert '{signal.Key}' after {MaxWriteAttempts} conflicting writes.");
    }

    /// <summary>
    /// The timer's pass over every alert: escalates and reminds open alerts that are due, enqueues notifications a
    /// crash left pending, and removes resolved alerts past retention or beyond the recent limit.
    /// </summary>
    public async Task<SweepResult> SweepAsync(CancellationToken ct)
    {
        await EnsureReadyAsync(ct);
        var rows = await Bounded(_store.ReadAllAsync, ct);
        var now = _time.GetUtcNow();
        int escalated = 0, reminded = 0, redispatched = 0, removed = 0;
        foreach (var row in rows.Where(r => r.State.IsOpen))
        {
            if (AlertRules.OnTick(row.State, _policy, now) is not AlertDecision.Changed { Notify: { } n } changed) continue;
            if (!await Bounded(t => _store.TryWriteAsync(changed.Next, row.EnqueuedSequence, row.ETag, t), ct)) continue; // a signal got there first
            await DispatchAsync(changed.Next, n, ct);
            if (n.Action == AlertAction.Escalate) escalated++;
            else reminded++;
        }
        foreach (var row in rows.Where(r => r.HasPendingNotification && now - r.State.LastNotifiedAt >= OutboxGrace))
        {
            await DispatchAsync(row.State, row.State.LatestNotification, ct);
            redispatched++;
        }
        var resolved = rows.Where(r => !r.State.IsOpen && !r.HasPendingNotification).OrderByDescending(r => r.State.ResolvedAt).ToList();
        foreach (var (row, index) in resolved.Select((r, i) => (r, i)))
        {
            if (index < _recentLimit && now - (row.State.ResolvedAt ?? now) <= _retention) continue;
            if (await Bounded(t => _store.TryDeleteAsync(row, t), ct)) removed++;
        }
        return new SweepResult(rows.Count(r => r.State.IsOpen), escalated, reminded, redispatched, removed);
    }

    /// <summary>Open alerts (highest level first, then oldest) and recently resolved ones (newest first).</summary>
    public async Task<(IReadOnlyList<AlertState> Open, IReadOnlyList<AlertState> Recent)> ReadAsync(CancellationToken ct)
    {
        await EnsureReadyAsync(ct);
        var rows = await Bounded(_store.ReadAllAsync, ct);
        var open = rows.Select(r => r.State).Where(s => s.IsOpen).OrderByDescending(s => s.Level).ThenBy(s => s.OpenedAt).ToList();
        var recent = rows.Select(r => r.State).Where(s => !s.IsOpen).OrderByDescending(s => s.ResolvedAt).ToList();
        return (open, recent);
    }

    private async Task<int> DispatchAsync(AlertState alert, AlertNotification notification, CancellationToken ct)
    {
        var channels = _routing.ChannelsFor(alert, notification);
        foreach (var channel in channels)
        {
            var delivery = new AlertDelivery(
                $"{alert.AlertId}:{notification.Sequence}:{channel}", alert.AlertId, alert.Key, channel,
                Domain.WireNames<AlertAction>.ToWire(notification.Action), (int)notification.Level,
                notification.Action == AlertAction.Resolve ? AlertDelivery.Resolved : AlertDelivery.Triggered,
                alert.Title, alert.Detail, alert.Source, alert.SignalAt, alert.OpenedAt, notification.At, _store.InstanceId, notification.Sequence);
            await Bounded(t => _queue.SendMessageAsync(delivery.ToMessage(), t), ct);
        }
        try
        {
            await Bounded(t => _store.MarkEnqueuedAsync(alert.Key, alert.AlertId, notification.Sequence, t), ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // The messages are on the queue; the sweep may enqueue them once more (at least once, never lost).
            LogMarkFailed(alert.Key, FailureEpisode.OneLine(ex));
        }
        return channels.Count;
    }

    private async Task EnsureReadyAsync(CancellationToken ct)
    {
        if (_ready) return;
        await Bounded(_store.EnsureTableAsync, ct);
        await Bounded(t => _queue.CreateIfNotExistsAsync(cancellationToken: t), ct);
        _ready = true;
    }

    private static AlertSignal Normalize(AlertSignal signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        ArgumentException.ThrowIfNullOrWhiteSpace(signal.Key);
        if (signal.Key.Length > MaxKeyLength) throw new ArgumentException($"An alert key is at most {MaxKeyLength} characters.", nameof(signal));
        if (!Enum.IsDefined(signal.Level)) throw new ArgumentException($"Level {(int)signal.Level} is not 1-4.", nameof(signal));
        return signal with { Title = Cut(signal.Title, MaxTitleLength), Detail = Cut(signal.Detail, MaxDetailLength), Source = Cut(signal.Source, 100) };
    }

    private static string Cut(string? text, int max) => string.IsNullOrEmpty(text) ? "" : text.Length <= max ? text : text[..(max - 1)] + "…";

    private static string NewAlertId() => Guid.NewGuid().ToString("N")[..16];

    private Task<T> Bounded<T>(Func<CancellationToken, Task<T>> operation, CancellationToken ct) => StorageTimeout.BoundAsync(operation, _timeout, ct);

    private Task Bounded(Func<CancellationToken, Task> operation, CancellationToken ct) => StorageTimeout.BoundAsync(operation, _timeout, ct);

    [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "Alert {Key}: {Action} at level {Level}, {Deliveries} deliveries enqueued")]
    private partial void LogChanged(string key, string action, int level, int deliveries);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Debug, Message = "Alert {Key}: write conflict, attempt {Attempt}; deciding again")]
    private partial void LogConflict(string key, int attempt);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "Alert {Key}: deliveries enqueued but not marked ({Cause}); the sweep may enqueue them once more")]
    private partial void LogMarkFailed(string key, string cause);
}

/// <summary>The pipeline's settings, resolved from configuration.</summary>
public sealed record AlertPipelineOptions(AlertPolicy Policy, AlertRouting Routing, TimeSpan OperationTimeout, int RecentLimit, TimeSpan Retention);
