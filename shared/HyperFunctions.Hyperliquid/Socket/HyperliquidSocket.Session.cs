using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using HyperFunctions.Hyperliquid.Models;

namespace HyperFunctions.Hyperliquid.Socket;

/// <summary>One session: subscribe, receive, ping, watch for silence, close.</summary>
public sealed partial class HyperliquidSocket
{
    private static readonly byte[] PingBytes = Command("ping", null);

    private async Task<(DisconnectKind Kind, string? Detail)> RunSessionAsync(SocketSession session, CancellationToken stop)
    {
        using var sessionCts = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var ct = sessionCts.Token;
        using var onStop = stop.Register(static s => ((SocketSession)s!).Finish(DisconnectKind.Closed, "shutdown"), session);
        lock (_lock)
        {
            _session = session;
        }

        Lifecycle(ConnectionEventKind.Connected, session.Attempt);
        var receive = ReceiveLoopAsync(session, ct);

        // Ping and watchdog timers are armed before the first subscription goes out, so they run from
        // the session's opening and are on the clock by the time data flows (and DataFlowing is published).
        var ping = PingLoopAsync(session, ct);
        var watchdog = WatchdogAsync(session, ct);
        await SendSubscriptionsAsync(session, ct);

        var (kind, detail) = await session.End.Task;
        if (kind == DisconnectKind.Closed)
        {
            await SendCloseFrameAsync(session);
        }

        await sessionCts.CancelAsync();
        session.Socket.Abort();
        await Task.WhenAll(receive, ping, watchdog);
        lock (_lock)
        {
            _session = null;
        }

        return (kind, detail);
    }

    private async Task SendSubscriptionsAsync(SocketSession session, CancellationToken ct)
    {
        List<Subscription> toSend;
        lock (_lock)
        {
            toSend = [.. _subscriptions];
            session.Ready = true;
        }

        if (toSend.Count == 0)
        {
            MarkDataFlowing(session); // nothing to wait for: connected is all there is
            return;
        }

        try
        {
            foreach (var subscription in toSend)
            {
                await session.SendAsync(Command("subscribe", subscription), ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
        {
            session.Finish(DisconnectClassifier.Classify(ex), ex.Message);
        }
    }

    private async Task ReceiveLoopAsync(SocketSession session, CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        try
        {
            while (true)
            {
                buffer.ResetWrittenCount();
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await session.Socket.ReceiveAsync(buffer.GetMemory(16 * 1024), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        session.Finish(DisconnectKind.Goodbye, $"{session.Socket.CloseStatus} {session.Socket.CloseStatusDescription}".Trim());
                        return;
                    }

                    buffer.Advance(result.Count);
                    if (buffer.WrittenCount > _options.MaxMessageBytes)
                    {
                        session.Finish(DisconnectKind.CorruptData, $"message larger than {_options.MaxMessageBytes} bytes");
                        return;
                    }
                }
                while (!result.EndOfMessage);

                if (!HandleFrame(session, buffer.WrittenSpan))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            session.Finish(DisconnectClassifier.Classify(ex), ex.Message);
        }
    }

    /// <summary>Parses, tracks and publishes one frame; false ends the session (corrupt data).</summary>
    private bool HandleFrame(SocketSession session, ReadOnlySpan<byte> frame)
    {
        var now = _time.GetUtcNow();
        session.Touch(now);
        Interlocked.Increment(ref _messages);
        Interlocked.Exchange(ref _lastMessageTicks, now.UtcTicks);

        var status = SocketMessageParser.Parse(frame, out var channel, out var evt);
        if (status == ParseStatus.Greeting)
        {
            return true;
        }

        CountMessage(channel);

        if (status == ParseStatus.Corrupt || evt is null)
        {
            var preview = Encoding.UTF8.GetString(frame[..Math.Min(frame.Length, 80)]);
            LogCorruptFrame(session.Attempt, frame.Length, preview);
            session.Finish(DisconnectKind.CorruptData, $"unparseable frame of {frame.Length} bytes");
            return false;
        }

        evt.ReceivedAt = now;
        TrackContinuity(evt);
        if (evt.IsData && !session.DataFlowing)
        {
            MarkDataFlowing(session);
        }

        Publish(evt);
        return true;
    }

    private void TrackContinuity(HyperliquidEvent evt)
    {
        switch (evt)
        {
            case L2BookEvent book:
                lock (_gapLock)
                {
                    book.Continuity = _gaps.ObserveTime(GapKey("l2Book:", book.Book.Coin), book.Book.Time);
                }

                break;
            case BboEvent bbo:
                lock (_gapLock)
                {
                    bbo.Continuity = _gaps.ObserveTime(GapKey("bbo:", bbo.Bbo.Coin), bbo.Bbo.Time);
                }

                break;
            case TradesEvent { Trades.Count: > 0 } trades:
                var tids = new long[trades.Trades.Count];
                var latest = long.MinValue;
                for (var i = 0; i < tids.Length; i++)
                {
                    tids[i] = trades.Trades[i].Tid;
                    latest = Math.Max(latest, trades.Trades[i].Time);
                }

                lock (_gapLock)
                {
                    trades.Continuity = _gaps.ObserveTrades(GapKey("trades:", trades.Trades[0].Coin), tids, latest);
                }

                break;
        }
    }

    /// <summary>The gap tracker's key for a channel and coin, made once per pair (not a new string per message). Under <c>_gapLock</c>.</summary>
    private string GapKey(string channel, string coin)
    {
        var lookup = _gapKeys.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> buffer = stackalloc char[64];
        if (channel.Length + coin.Length > buffer.Length) return channel + coin;
        channel.CopyTo(buffer);
        coin.CopyTo(buffer[channel.Length..]);
        var candidate = buffer[..(channel.Length + coin.Length)];
        if (lookup.TryGetValue(candidate, out var key)) return key;
        key = candidate.ToString();
        if (_gapKeys.Count < 1024) _gapKeys[key] = key;
        return key;
    }

    private async Task PingLoopAsync(SocketSession session, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(_options.PingInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                await session.SendAsync(PingBytes, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            session.Finish(DisconnectClassifier.Classify(ex), ex.Message);
        }
    }

    private async Task WatchdogAsync(SocketSession session, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                bool subscribed;
                lock (_lock)
                {
                    subscribed = _subscriptions.Count > 0;
                }

                var due = session.LastMessageAt + _options.MessageTimeout - _time.GetUtcNow();
                if (subscribed && due <= TimeSpan.Zero)
                {
                    LogSilent(session.Attempt, _options.MessageTimeout);
                    session.Finish(DisconnectKind.Timeout, $"no message for {_options.MessageTimeout}");
                    return;
                }

                await Task.Delay(due > TimeSpan.Zero ? due : _options.MessageTimeout, _time, ct);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task SendCloseFrameAsync(SocketSession session)
    {
        // Close frame only (no wait for the server's echo: a silent server must not stall shutdown).
        try
        {
            using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
            if (session.Socket.State == WebSocketState.Open)
            {
                await session.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "client closing", timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            LogCloseFailed(session.Attempt, ex.Message);
        }
    }
}
