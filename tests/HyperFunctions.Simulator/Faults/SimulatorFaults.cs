using HyperFunctions.Simulator.Core;
using HyperFunctions.Simulator.WebSockets;

namespace HyperFunctions.Simulator;

/// <summary>
/// In-process fault control. Every fault takes a count and/or a duration on the simulator clock; see
/// <see cref="FaultKind"/> for what the count counts. The same faults are reachable over HTTP at /_sim/faults.
/// </summary>
public sealed partial class SimulatorFaults
{
    private const string DefaultCorruptFrame = "{\"channel\":\"l2Book\",\"data\":{\"coin\":\"BTC\",\"levels\":[[{\"px\":";
    private const string DefaultOrderRejection = "Order rejected by the simulator (injected fault).";
    private const string DefaultMalformedInfo = """{"unexpected":"shape"}""";
    private readonly Lock _gate = new();
    private readonly List<ActiveFault> _faults = [];
    private readonly SimClock _clock;
    private readonly ConnectionRegistry _connections;
    private readonly SimulatorStats _stats;
    private readonly ChangeSignal _signal;
    private long _nextId;

    internal SimulatorFaults(SimClock clock, ConnectionRegistry connections, SimulatorStats stats, ChangeSignal signal)
    {
        _clock = clock;
        _connections = connections;
        _stats = stats;
        _signal = signal;
    }

    /// <summary>Faults that can still take effect.</summary>
    public IReadOnlyList<FaultHandle> Active
    {
        get
        {
            var now = _clock.Now;
            lock (_gate)
            {
                return _faults.Where(f => f.IsLive(now)).Select(f => new FaultHandle(this, f)).ToList();
            }
        }
    }

    /// <summary>Injects a fault. Connection faults hit the current connections at once.</summary>
    public FaultHandle Inject(FaultSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        var oneShot = spec.IsConnectionFault && spec.Count is null && spec.Duration is null;
        ActiveFault fault;
        lock (_gate)
        {
            var now = _clock.Now;
            fault = new ActiveFault(++_nextId, spec, spec.Duration is { } duration ? now + duration : null);
            if (!oneShot)
            {
                _faults.Add(fault);
            }
        }

        if (spec.IsConnectionFault)
        {
            foreach (var connection in _connections.Snapshot())
            {
                if (!TryConsume(fault))
                {
                    break;
                }

                Apply(fault, connection);
            }
        }

        if (oneShot)
        {
            lock (_gate)
            {
                fault.Removed = true;
            }
        }

        _signal.Pulse();
        return new FaultHandle(this, fault);
    }

    /// <summary>Ends one fault; silenced connections talk again.</summary>
    public bool Remove(long id)
    {
        bool removed;
        lock (_gate)
        {
            var fault = _faults.Find(f => f.Id == id);
            removed = fault is not null && _faults.Remove(fault);
            if (fault is not null)
            {
                fault.Removed = true;
            }
        }

        _connections.Unsilence(id);
        _signal.Pulse();
        return removed;
    }

    /// <summary>Ends every fault; silenced connections talk again.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            foreach (var fault in _faults)
            {
                fault.Removed = true;
            }

            _faults.Clear();
        }

        _connections.Unsilence(null);
        _signal.Pulse();
    }

    internal T Read<T>(Func<T> read)
    {
        lock (_gate)
        {
            return read();
        }
    }

    internal bool IsLive(ActiveFault fault)
    {
        var now = _clock.Now;
        lock (_gate)
        {
            return fault.IsLive(now);
        }
    }

    private bool TryConsume(ActiveFault fault)
    {
        var now = _clock.Now;
        lock (_gate)
        {
            return fault.TryConsume(now);
        }
    }

    /// <summary>Consumes the first live fault of the kind that matches.</summary>
    private ActiveFault? TryConsume(FaultKind kind, Func<FaultSpec, bool>? match = null)
    {
        var now = _clock.Now;
        ActiveFault? consumed = null;
        lock (_gate)
        {
            _faults.RemoveAll(f => !f.IsLive(now));
            foreach (var fault in _faults)
            {
                if (fault.Spec.Kind == kind && (match is null || match(fault.Spec)) && fault.TryConsume(now))
                {
                    consumed = fault;
                    break;
                }
            }
        }

        if (consumed is not null)
        {
            _signal.Pulse();
        }

        return consumed;
    }

    private bool AnyLive(FaultKind kind, Func<FaultSpec, bool> match)
    {
        var now = _clock.Now;
        lock (_gate)
        {
            return _faults.Any(f => f.Spec.Kind == kind && match(f.Spec) && f.IsLive(now));
        }
    }

    private void Apply(ActiveFault fault, WsConnection connection)
    {
        var spec = fault.Spec;
        switch (spec.Kind)
        {
            case FaultKind.DropConnections:
                _stats.ConnectionAborted();
                connection.Abort();
                break;
            case FaultKind.Silence:
                connection.Silence(fault.Id, fault.ExpiresAt);
                break;
            case FaultKind.Goodbye:
                connection.Close(spec.CloseStatus, spec.CloseReason);
                break;
            case FaultKind.CorruptFrames:
                connection.SendRaw(spec.Message ?? DefaultCorruptFrame);
                break;
            default:
                throw new InvalidOperationException($"{spec.Kind} is not a connection fault.");
        }
    }
}
