using HyperFunctions.Simulator.Core;

namespace HyperFunctions.Simulator;

/// <summary>Live counters. Every change pulses the simulator's change signal, so tests can await them.</summary>
public sealed class SimulatorStats
{
    private readonly ChangeSignal _signal;
    private int _activeConnections;
    private int _pendingDelays;
    private long _totalConnections;
    private long _connectionsRejected;
    private long _connectionsAborted;
    private long _connectionsClosedByServer;
    private long _messagesSent;
    private long _messagesSuppressed;
    private long _messagesReceived;
    private long _restRequests;
    private long _rateLimitedResponses;
    private long _marketTicks;
    private long _fundingUpdates;
    private long _orders;
    private long _botTrades;

    internal SimulatorStats(ChangeSignal signal) => _signal = signal;

    /// <summary>WebSocket connections open now.</summary>
    public int ActiveConnections => Volatile.Read(ref _activeConnections);

    /// <summary>WebSocket connections accepted since start.</summary>
    public long TotalConnections => Interlocked.Read(ref _totalConnections);

    /// <summary>WebSocket upgrades refused by a RejectConnections fault.</summary>
    public long ConnectionsRejected => Interlocked.Read(ref _connectionsRejected);

    /// <summary>Connections aborted by a DropConnections fault.</summary>
    public long ConnectionsAborted => Interlocked.Read(ref _connectionsAborted);

    /// <summary>Close frames the server initiated (idle timeout, Goodbye fault), counted once sent and the close grace is armed.</summary>
    public long ConnectionsClosedByServer => Interlocked.Read(ref _connectionsClosedByServer);

    /// <summary>WebSocket frames written to clients (all connections).</summary>
    public long MessagesSent => Interlocked.Read(ref _messagesSent);

    /// <summary>WebSocket messages swallowed by a Silence fault.</summary>
    public long MessagesSuppressed => Interlocked.Read(ref _messagesSuppressed);

    /// <summary>WebSocket messages received from clients.</summary>
    public long MessagesReceived => Interlocked.Read(ref _messagesReceived);

    /// <summary>REST requests to /info and /exchange.</summary>
    public long RestRequests => Interlocked.Read(ref _restRequests);

    /// <summary>REST requests answered 429 (weight budget or RateLimit fault).</summary>
    public long RateLimitedResponses => Interlocked.Read(ref _rateLimitedResponses);

    /// <summary>Requests and messages currently held back by a Latency fault (its delay is armed on the clock).</summary>
    public int PendingDelays => Volatile.Read(ref _pendingDelays);

    /// <summary>Market steps run.</summary>
    public long MarketTicks => Interlocked.Read(ref _marketTicks);

    /// <summary>Funding settlements run (hours in which at least one coin settled).</summary>
    public long FundingUpdates => Interlocked.Read(ref _fundingUpdates);

    /// <summary>Orders in signed, nonce-valid order actions of known accounts, whatever became of them (placed, filled or refused, e.g. a duplicate cloid).</summary>
    public long Orders => Interlocked.Read(ref _orders);

    /// <summary>Orders the copy-target bot sent (never part of <see cref="Orders"/>).</summary>
    public long BotTrades => Interlocked.Read(ref _botTrades);

    internal void BotTrade() => Bump(ref _botTrades);

    internal void OrdersReceived(int count)
    {
        Interlocked.Add(ref _orders, count);
        _signal.Pulse();
    }

    internal void ConnectionOpened()
    {
        Interlocked.Increment(ref _activeConnections);
        Bump(ref _totalConnections);
    }

    internal void ConnectionClosed()
    {
        Interlocked.Decrement(ref _activeConnections);
        _signal.Pulse();
    }

    internal void ConnectionRejected() => Bump(ref _connectionsRejected);

    internal void ConnectionAborted() => Bump(ref _connectionsAborted);

    internal void ConnectionClosedByServer() => Bump(ref _connectionsClosedByServer);

    internal void MessageSent() => Bump(ref _messagesSent);

    internal void MessageSuppressed() => Bump(ref _messagesSuppressed);

    internal void MessageReceived() => Bump(ref _messagesReceived);

    internal void RestRequest() => Bump(ref _restRequests);

    internal void RateLimited() => Bump(ref _rateLimitedResponses);

    internal void MarketTick() => Bump(ref _marketTicks);

    internal void FundingUpdate() => Bump(ref _fundingUpdates);

    internal void DelayStarted()
    {
        Interlocked.Increment(ref _pendingDelays);
        _signal.Pulse();
    }

    internal void DelayEnded()
    {
        Interlocked.Decrement(ref _pendingDelays);
        _signal.Pulse();
    }

    private void Bump(ref long counter)
    {
        Interlocked.Increment(ref counter);
        _signal.Pulse();
    }
}
