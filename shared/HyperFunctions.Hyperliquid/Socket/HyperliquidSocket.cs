using System.Text.Json;
using System.Threading.Channels;
using HyperFunctions.Hyperliquid.Configuration;
using HyperFunctions.Hyperliquid.Models;
using HyperFunctions.Hyperliquid.Policies;
using HyperFunctions.Hyperliquid.Rest;
using HyperFunctions.Hyperliquid.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyperFunctions.Hyperliquid.Socket;

/// <summary>
/// Self-healing WebSocket keeper over <see cref="System.Net.WebSockets.ClientWebSocket"/>. Subscriptions
/// are registered once and restored after every reconnect; pings, the silence watchdog, backoff delays
/// and the breaker cool-off all run on the injected <see cref="TimeProvider"/>. Typed events and
/// lifecycle events arrive in order on <see cref="Events"/>.
/// </summary>
public sealed partial class HyperliquidSocket : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly HyperliquidSocketOptions _options;
    private readonly Uri _uri;
    private readonly TimeProvider _time;
    private readonly IRandomSource _random;
    private readonly ILogger<HyperliquidSocket> _logger;
    private readonly Channel<HyperliquidEvent> _events;
    private readonly List<Subscription> _subscriptions = [];
    private readonly ConsecutiveFailureBreaker _breaker;
    private readonly Lock _gapLock = new();
    private readonly GapTracker _gaps;
    private readonly Dictionary<string, string> _gapKeys = new(StringComparer.Ordinal);
    private readonly BackoffSettings _backoff;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<DisconnectKind, long> _disconnects = [];
    private TaskCompletionSource _autoReconnectEnabled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;
    private SocketSession? _session;
    private bool _autoReconnect;
    private bool _reconnecting;
    private bool _disposed;
    private long _attempts;
    private long _successes;
    private long _connectTicksTotal;
    private long _messages;
    private long _dropped;
    private DateTimeOffset? _lostAt;
    private long _lastMessageTicks;
    private DisconnectKind? _lastDisconnect;

    /// <summary>Creates the keeper (not started).</summary>
    public HyperliquidSocket(IOptions<HyperliquidOptions> options, TimeProvider time, IRandomSource random, ILogger<HyperliquidSocket> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value.Socket;
        _uri = options.Value.ResolvedWsUrl;
        _time = time;
        _random = random;
        _logger = logger;
        _autoReconnect = _options.AutoReconnect;
        if (_autoReconnect)
        {
            _autoReconnectEnabled.TrySetResult();
        }

        _breaker = new ConsecutiveFailureBreaker(_options.BreakerFailureThreshold, _options.BreakerCoolOff);
        _gaps = new GapTracker(_options.GapThreshold);
        _backoff = new BackoffSettings(_options.BackoffInitial, _options.BackoffMultiplier, _options.BackoffMax, _options.BackoffJitter, _options.BackoffFirstRetryImmediate);
        _events = Channel.CreateBounded<HyperliquidEvent>(
            new BoundedChannelOptions(_options.EventQueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = false, SingleWriter = false, AllowSynchronousContinuations = _options.InlineDelivery },
            _ => Interlocked.Increment(ref _dropped));
    }

    /// <summary>Typed data events and lifecycle events, in arrival order. Completes after disposal.</summary>
    public ChannelReader<HyperliquidEvent> Events => _events.Reader;

    /// <summary>Whether the keeper reconnects by itself.</summary>
    public bool AutoReconnectEnabled
    {
        get
        {
            lock (_lock)
            {
                return _autoReconnect;
            }
        }
    }

    /// <summary>Starts the keeper loop (idempotent). Returns once the loop runs, not when connected.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _loop ??= Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    /// <summary>Registers a subscription; it is sent now if connected and after every reconnect.</summary>
    public Task SubscribeAsync(Subscription subscription, CancellationToken cancellationToken) =>
        ChangeSubscriptionAsync(subscription, add: true, cancellationToken);

    /// <summary>Removes a subscription (and unsubscribes on the live connection).</summary>
    public Task UnsubscribeAsync(Subscription subscription, CancellationToken cancellationToken) =>
        ChangeSubscriptionAsync(subscription, add: false, cancellationToken);

    /// <summary>Turns automatic reconnection on; a waiting keeper reconnects at once.</summary>
    public void EnableAutoReconnect()
    {
        lock (_lock)
        {
            _autoReconnect = true;
            _autoReconnectEnabled.TrySetResult();
        }
    }

    /// <summary>Turns automatic reconnection off; the live connection stays until it ends.</summary>
    public void DisableAutoReconnect()
    {
        lock (_lock)
        {
            _autoReconnect = false;
            if (_autoReconnectEnabled.Task.IsCompleted)
            {
                _autoReconnectEnabled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>Ends the live connection as <see cref="DisconnectKind.Closed"/>; the keeper reconnects if enabled.</summary>
    public void ForceReconnect()
    {
        lock (_lock)
        {
            _session?.Finish(DisconnectKind.Closed, "forced reconnect");
        }
    }

    /// <summary>A consistent snapshot of the keeper's health.</summary>
    public SocketStatistics GetStatistics()
    {
        lock (_lock)
        {
            var meanTicks = _successes == 0 ? (long?)null : _connectTicksTotal / _successes;
            return new SocketStatistics(
                Connected: _session is not null,
                AutoReconnectEnabled: _autoReconnect,
                Reconnecting: _reconnecting,
                ConnectedSince: _session?.DataSince,
                ConnectionLostAt: _lostAt,
                LastMessageAt: Interlocked.Read(ref _lastMessageTicks) is var lm and > 0 ? new DateTimeOffset(lm, TimeSpan.Zero) : null,
                MessageTimeout: _options.MessageTimeout,
                Attempts: _attempts,
                Successes: _successes,
                SuccessRate: _attempts == 0 ? 1.0 : (double)_successes / _attempts,
                MeanConnectTime: meanTicks is { } t ? TimeSpan.FromTicks(t) : null,
                ReconnectsTotal: Math.Max(0, _successes - 1),
                DisconnectsByKind: new Dictionary<DisconnectKind, long>(_disconnects),
                LastDisconnect: _lastDisconnect,
                Circuit: _breaker.State,
                ConsecutiveFailures: _breaker.ConsecutiveFailures,
                CircuitOpenings: _breaker.TimesOpened,
                MessagesReceived: Interlocked.Read(ref _messages),
                EventsDropped: Interlocked.Read(ref _dropped),
                Subscriptions: _subscriptions.Count,
                Streams: GapSnapshot());
        }
    }

    /// <summary>Stops the keeper: sends a close frame, ends every background task, completes <see cref="Events"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        Task? loop;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            loop = _loop;
        }

        await _stop.CancelAsync();
        if (loop is not null)
        {
            await loop;
        }

        Lifecycle(ConnectionEventKind.Stopped, Interlocked.Read(ref _attempts));
        _events.Writer.TryComplete();
        _stop.Dispose();
    }

    private async Task ChangeSubscriptionAsync(Subscription subscription, bool add, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        SocketSession? sendOn;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var present = _subscriptions.Contains(subscription);
            if (add == present)
            {
                return;
            }

            if (add)
            {
                _subscriptions.Add(subscription);
            }
            else
            {
                _subscriptions.Remove(subscription);
            }

            sendOn = _session is { Ready: true } s ? s : null;
        }

        if (sendOn is not null)
        {
            try
            {
                await sendOn.SendAsync(Command(add ? "subscribe" : "unsubscribe", subscription), cancellationToken);
            }
            catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or IOException or ObjectDisposedException)
            {
                // The session is ending; the next session sends the registered set.
                sendOn.Finish(DisconnectClassifier.Classify(ex), ex.Message);
            }
        }
    }

    private IReadOnlyList<StreamGapStats> GapSnapshot()
    {
        lock (_gapLock)
        {
            return _gaps.Snapshot();
        }
    }

    private static byte[] Command(string method, Subscription? subscription) =>
        JsonSerializer.SerializeToUtf8Bytes(new SocketCommand(method, subscription), HyperliquidJsonContext.Default.SocketCommand);

    private void Publish(HyperliquidEvent evt) => _events.Writer.TryWrite(evt);

    private void Lifecycle(ConnectionEventKind kind, long attempt, DisconnectKind? disconnect = null, TimeSpan? delay = null, string? detail = null) =>
        Publish(new ConnectionEvent(kind, attempt, disconnect, delay, detail) { ReceivedAt = _time.GetUtcNow() });
}
