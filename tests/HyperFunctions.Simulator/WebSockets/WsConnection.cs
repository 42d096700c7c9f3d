using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using HyperFunctions.Simulator.Core;
using Microsoft.AspNetCore.Http;

namespace HyperFunctions.Simulator.WebSockets;

/// <summary>
/// One client WebSocket: an outbox drained by a single sender loop (the only writer of the socket),
/// the subscriptions, the idle timer and the Silence state.
/// </summary>
internal sealed class WsConnection : IDisposable
{
    /// <summary>How long (simulator time) a server-initiated close waits for the client's close frame before the connection is ended.</summary>
    public static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(5);

    private readonly Channel<OutboundFrame> _outbox = Channel.CreateUnbounded<OutboundFrame>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, Subscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly HttpContext _http;
    private readonly WebSocket _socket;
    private readonly SimClock _clock;
    private readonly SimulatorFaults _faults;
    private readonly SimulatorStats _stats;
    private readonly TimeSpan _idleTimeout;
    private readonly ITimer _idleTimer;
    private readonly CancellationTokenSource _aborted = new();
    private readonly CancellationTokenSource _receiveStop = new();
    private ITimer? _graceTimer;
    private long _sent;
    private long _received;
    private long _suppressed;
    private long _silencedBy;
    private DateTimeOffset? _silencedUntil;
    private DateTimeOffset _lastReceived;
    private int _closing;

    public WsConnection(long id, HttpContext http, WebSocket socket, SimClock clock, SimulatorFaults faults, SimulatorStats stats, TimeSpan idleTimeout)
    {
        Id = id;
        _http = http;
        _socket = socket;
        _clock = clock;
        _faults = faults;
        _stats = stats;
        _idleTimeout = idleTimeout;
        Remote = $"{http.Connection.RemoteIpAddress}:{http.Connection.RemotePort}";
        ConnectedAt = clock.Now;
        _lastReceived = ConnectedAt;
        _idleTimer = clock.Provider.CreateTimer(_ => OnIdleTimer(), null, idleTimeout, Timeout.InfiniteTimeSpan);
    }

    public long Id { get; }

    public string Remote { get; }

    public DateTimeOffset ConnectedAt { get; }

    public CancellationToken Aborted => _aborted.Token;

    /// <summary>Cancelled on abort, and when the close grace ends without the client's close frame.</summary>
    public CancellationToken ReceiveStop => _receiveStop.Token;

    /// <summary>True when receiving stopped because the close grace ran out (a clean end, not an abort).</summary>
    public bool GraceExpired { get; private set; }

    public bool IsClosing => Volatile.Read(ref _closing) != 0;

    /// <summary>Queues a message (no-op once closing). Latency faults delay it; Silence swallows it at send time.</summary>
    public void Send(ReadOnlyMemory<byte> payload) => Enqueue(FrameKind.Message, payload);

    public void SendRaw(string text) => Enqueue(FrameKind.Injected, Encoding.UTF8.GetBytes(text));

    /// <summary>Queues a close frame after the pending messages; nothing is sent after it.</summary>
    public void Close(WebSocketCloseStatus status, string reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) == 0)
        {
            _outbox.Writer.TryWrite(new OutboundFrame(FrameKind.Close, ReadOnlyMemory<byte>.Empty, _clock.Now, status, reason, ServerInitiated: true));
        }
    }

    /// <summary>Answers a client-initiated close.</summary>
    public void AcknowledgeClose(WebSocketCloseStatus status)
    {
        if (Interlocked.Exchange(ref _closing, 1) == 0)
        {
            _outbox.Writer.TryWrite(new OutboundFrame(FrameKind.Close, ReadOnlyMemory<byte>.Empty, _clock.Now, status, string.Empty));
        }
    }

    /// <summary>Kills the TCP connection without a close frame.</summary>
    public void Abort()
    {
        Interlocked.Exchange(ref _closing, 1);
        _outbox.Writer.TryComplete();
        try
        {
            _aborted.Cancel();
            _receiveStop.Cancel();
            _http.Abort();
        }
        catch (ObjectDisposedException)
        {
            // Already torn down.
        }
    }

    public void Silence(long faultId, DateTimeOffset? until)
    {
        lock (_gate)
        {
            _silencedBy = faultId;
            _silencedUntil = until ?? DateTimeOffset.MaxValue;
        }
    }

    /// <summary>Lifts the silence set by that fault (or any, when null).</summary>
    public void Unsilence(long? faultId)
    {
        lock (_gate)
        {
            if (faultId is null || _silencedBy == faultId)
            {
                _silencedUntil = null;
            }
        }
    }

    public bool IsSilenced(DateTimeOffset now)
    {
        lock (_gate)
        {
            return _silencedUntil is { } until && now < until;
        }
    }

    /// <summary>Any client frame resets the idle timer.</summary>
    public void OnClientMessage()
    {
        Interlocked.Increment(ref _received);
        _stats.MessageReceived();
        lock (_gate)
        {
            _lastReceived = _clock.Now;
        }

        RearmIdleTimer(_idleTimeout);
    }

    public bool TryAddSubscription(Subscription subscription)
    {
        lock (_gate)
        {
            return _subscriptions.TryAdd(subscription.Key, subscription);
        }
    }

    public bool RemoveSubscription(string key)
    {
        lock (_gate)
        {
            return _subscriptions.Remove(key);
        }
    }

    public bool HasSubscription(string key)
    {
        lock (_gate)
        {
            return _subscriptions.ContainsKey(key);
        }
    }

    public IReadOnlyList<Subscription> Subscriptions()
    {
        lock (_gate)
        {
            return _subscriptions.Values.ToList();
        }
    }

    public SimulatorConnectionInfo Describe()
    {
        var silenced = IsSilenced(_clock.Now);
        return new SimulatorConnectionInfo(
            Id,
            Remote,
            ConnectedAt,
            Subscriptions().Select(s => s.Key).ToList(),
            Interlocked.Read(ref _sent),
            Interlocked.Read(ref _received),
            Interlocked.Read(ref _suppressed),
            silenced);
    }

    /// <summary>The single writer: drains the outbox until a close frame, an abort or a socket error.</summary>
    public async Task RunSenderAsync()
    {
        try
        {
            await foreach (var frame in _outbox.Reader.ReadAllAsync(_aborted.Token))
            {
                if (!await SendFrameAsync(frame))
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            // The connection is gone; the receive loop notices too.
        }
        finally
        {
            _outbox.Writer.TryComplete();
        }
    }

    public void Dispose()
    {
        _idleTimer.Dispose();
        _graceTimer?.Dispose();
        _outbox.Writer.TryComplete();
        _aborted.Dispose();
        _receiveStop.Dispose();
    }

    private async Task<bool> SendFrameAsync(OutboundFrame frame)
    {
        var delay = frame.DueAt - _clock.Now;
        if (delay > TimeSpan.Zero)
        {
            var wait = _clock.Delay(delay, _aborted.Token);
            _stats.DelayStarted();
            try
            {
                await wait;
            }
            finally
            {
                _stats.DelayEnded();
            }
        }

        if (frame.Kind == FrameKind.Close)
        {
            await _socket.CloseOutputAsync(frame.CloseStatus, frame.CloseReason, _aborted.Token);
            if (frame.ServerInitiated)
            {
                if (_socket.State == WebSocketState.CloseSent)
                {
                    _graceTimer = _clock.Provider.CreateTimer(_ => EndGrace(), null, CloseGrace, Timeout.InfiniteTimeSpan);
                }

                _stats.ConnectionClosedByServer();
            }

            return false;
        }

        if (frame.Kind == FrameKind.Message && IsSilenced(_clock.Now))
        {
            Interlocked.Increment(ref _suppressed);
            _stats.MessageSuppressed();
            return true;
        }

        await _socket.SendAsync(frame.Payload, WebSocketMessageType.Text, endOfMessage: true, _aborted.Token);
        Interlocked.Increment(ref _sent);
        _stats.MessageSent();
        return true;
    }

    private void EndGrace()
    {
        GraceExpired = true;
        try
        {
            _receiveStop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The connection ended meanwhile.
        }
    }

    private void Enqueue(FrameKind kind, ReadOnlyMemory<byte> payload)
    {
        if (IsClosing)
        {
            return;
        }

        var latency = _faults.TryConsumeLatency(FaultTarget.WebSocket);
        _outbox.Writer.TryWrite(new OutboundFrame(kind, payload, _clock.Now + latency));
    }

    private void OnIdleTimer()
    {
        DateTimeOffset last;
        lock (_gate)
        {
            last = _lastReceived;
        }

        var idle = _clock.Now - last;
        if (idle >= _idleTimeout)
        {
            Close(WebSocketCloseStatus.NormalClosure, "idle timeout");
        }
        else
        {
            RearmIdleTimer(_idleTimeout - idle);
        }
    }

    private void RearmIdleTimer(TimeSpan due)
    {
        try
        {
            _idleTimer.Change(due, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // The connection ended.
        }
    }
}
