using System.Net.WebSockets;
using HyperFunctions.Hyperliquid.Policies;

namespace HyperFunctions.Hyperliquid.Socket;

/// <summary>The keeper loop: breaker, attempt, session, backoff.</summary>
public sealed partial class HyperliquidSocket
{
    private async Task RunAsync(CancellationToken stop)
    {
        var retry = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (Interlocked.Read(ref _attempts) > 0 && !await WaitUntilAutoReconnectAsync(stop))
                {
                    return;
                }

                TimeSpan coolOff;
                lock (_lock)
                {
                    var now = _time.GetUtcNow();
                    coolOff = _breaker.TryAllow(now) ? TimeSpan.Zero : _breaker.RemainingCoolOff(now);
                }

                if (coolOff > TimeSpan.Zero)
                {
                    var wait = Task.Delay(coolOff, _time, stop);
                    Lifecycle(ConnectionEventKind.CircuitOpened, Interlocked.Read(ref _attempts), delay: coolOff);
                    LogCircuitOpen(coolOff);
                    if (!await CompletesAsync(wait))
                    {
                        return;
                    }

                    continue;
                }

                var (stable, circuitOpen) = await AttemptAsync(stop);
                if (stop.IsCancellationRequested)
                {
                    return;
                }

                retry = stable ? 1 : retry + 1;
                if (circuitOpen || !AutoReconnectEnabled)
                {
                    continue;
                }

                var delay = BackoffSchedule.Delay(retry, _backoff, _random);
                var delayTask = delay > TimeSpan.Zero ? Task.Delay(delay, _time, stop) : Task.CompletedTask;
                Lifecycle(ConnectionEventKind.RetryScheduled, Interlocked.Read(ref _attempts), delay: delay);
                LogRetryScheduled(retry, delay);
                if (!await CompletesAsync(delayTask))
                {
                    return;
                }
            }
        }
#pragma warning disable CA1031 // the keeper must never die silently
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogKeeperCrashed(ex);
        }
    }

    private async Task<bool> WaitUntilAutoReconnectAsync(CancellationToken stop)
    {
        Task enabled;
        lock (_lock)
        {
            enabled = _autoReconnectEnabled.Task;
            if (!enabled.IsCompleted)
            {
                _reconnecting = false;
            }
        }

        if (enabled.IsCompleted)
        {
            return true;
        }

        Lifecycle(ConnectionEventKind.WaitingForEnable, Interlocked.Read(ref _attempts));
        if (!await CompletesAsync(enabled.WaitAsync(stop)))
        {
            return false;
        }

        lock (_lock)
        {
            _reconnecting = true;
        }

        return true;
    }

    /// <summary>One attempt and, if it connects, its session. Returns whether the backoff may reset and whether the breaker is open.</summary>
    private async Task<(bool Stable, bool CircuitOpen)> AttemptAsync(CancellationToken stop)
    {
        var startedAt = _time.GetUtcNow();
        var attempt = Interlocked.Increment(ref _attempts);
        Lifecycle(ConnectionEventKind.Connecting, attempt);
        LogConnecting(attempt, _uri);

        var ws = new ClientWebSocket();
        ws.Options.KeepAliveInterval = TimeSpan.Zero; // keep-alive is our own ping, on the TimeProvider
        using (var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, timeout.Token))
        {
            try
            {
                await ws.ConnectAsync(_uri, linked.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or HttpRequestException or IOException)
            {
                ws.Dispose();
                if (stop.IsCancellationRequested)
                {
                    return (false, false);
                }

                var detail = timeout.IsCancellationRequested ? $"handshake timed out after {_options.ConnectTimeout}" : ex.Message;
                return RecordEnd(null, attempt, DisconnectKind.ConnectFailed, detail, stopping: false);
            }
        }

        var session = new SocketSession(ws, attempt, startedAt, _time.GetUtcNow());
        var (kind, endDetail) = await RunSessionAsync(session, stop);
        var result = RecordEnd(session, attempt, kind, endDetail, stop.IsCancellationRequested);
        session.Dispose();
        return result;
    }

    private (bool Stable, bool CircuitOpen) RecordEnd(SocketSession? session, long attempt, DisconnectKind kind, string? detail, bool stopping)
    {
        bool stable;
        bool opened = false;
        CircuitState state;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            var dataSince = session?.DataSince;
            if (dataSince is not null)
            {
                _lostAt = now;
            }

            _disconnects[kind] = _disconnects.GetValueOrDefault(kind) + 1;
            _lastDisconnect = kind;
            if (dataSince is null && !stopping)
            {
                opened = _breaker.RecordFailure(now);
            }

            _reconnecting = !stopping && _autoReconnect;
            stable = dataSince is { } since && now - since >= _options.BackoffResetAfter;
            state = _breaker.State;
        }

        Lifecycle(ConnectionEventKind.Disconnected, attempt, kind, detail: detail);
        LogDisconnected(attempt, kind, detail);
        if (opened)
        {
            LogCircuitOpened(_options.BreakerFailureThreshold, _options.BreakerCoolOff);
        }

        return (stable, state == CircuitState.Open);
    }

    private void MarkDataFlowing(SocketSession session)
    {
        TimeSpan connectTime;
        lock (_lock)
        {
            if (session.DataSince is not null)
            {
                return;
            }

            var now = _time.GetUtcNow();
            session.DataSince = now;
            session.DataFlowing = true;
            connectTime = now - session.AttemptStartedAt;
            _successes++;
            _connectTicksTotal += connectTime.Ticks;
            _breaker.RecordSuccess();
            _reconnecting = false;
        }

        Lifecycle(ConnectionEventKind.DataFlowing, session.Attempt);
        LogDataFlowing(session.Attempt, connectTime);
    }

    private static async Task<bool> CompletesAsync(Task task)
    {
        try
        {
            await task;
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
