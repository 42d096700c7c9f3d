using HyperFunctions.Simulator.WebSockets;

namespace HyperFunctions.Simulator;

// The points where the simulator asks whether a fault applies.
public sealed partial class SimulatorFaults
{
    internal bool ShouldRejectConnection() => TryConsume(FaultKind.RejectConnections) is not null;

    /// <summary>Applies live connection faults to a new connection.</summary>
    internal void OnConnected(WsConnection connection)
    {
        foreach (var kind in (ReadOnlySpan<FaultKind>)[FaultKind.DropConnections, FaultKind.Goodbye, FaultKind.Silence, FaultKind.CorruptFrames])
        {
            if (TryConsume(kind) is { } fault)
            {
                Apply(fault, connection);
            }
        }
    }

    /// <summary>A 429 or HTTP error to answer instead of the request, if any.</summary>
    internal FaultSpec? TryConsumeRestFault()
    {
        var now = _clock.Now;
        ActiveFault? consumed = null;
        lock (_gate)
        {
            consumed = _faults.FirstOrDefault(f => f.Spec.Kind is FaultKind.RateLimit or FaultKind.HttpError && f.TryConsume(now));
        }

        if (consumed is not null)
        {
            _signal.Pulse();
        }

        return consumed?.Spec;
    }

    /// <summary>The wrong-shaped body to answer an <c>/info</c> request of <paramref name="type"/> with, if a MalformedInfo fault applies.</summary>
    internal string? TryConsumeMalformedInfo(string type) =>
        TryConsume(FaultKind.MalformedInfo, s => s.InfoType is null || string.Equals(s.InfoType, type, StringComparison.Ordinal)) is { } fault
            ? fault.Spec.Message ?? DefaultMalformedInfo
            : null;

    internal TimeSpan TryConsumeLatency(FaultTarget target) =>
        TryConsume(FaultKind.Latency, s => s.Target == FaultTarget.All || s.Target == target)?.Spec.Latency ?? TimeSpan.Zero;

    internal bool TryConsumeOrderRejection(string coin, out string message)
    {
        var fault = TryConsume(FaultKind.RejectOrders, s => s.Coin is null || s.Coin == coin);
        message = fault?.Spec.Message ?? DefaultOrderRejection;
        return fault is not null;
    }

    /// <summary>Whether funding is stopped for the coin (does not consume a count).</summary>
    internal bool IsFundingStopped(string coin) => AnyLive(FaultKind.StopFunding, s => s.Coin is null || s.Coin == coin);

    /// <summary>Consumes a skip of one settlement: for all coins (coin null) or for one coin.</summary>
    internal bool TryConsumeFundingStop(string? coin) => TryConsume(FaultKind.StopFunding, s => s.Coin == coin) is not null;

    internal bool TryConsumeMarketFreeze() => TryConsume(FaultKind.FreezeMarket) is not null;

    /// <summary>Signed-size offsets reported for the user, by coin (each live fault consumed once).</summary>
    internal IReadOnlyList<(string Coin, decimal Delta)> TakeDivergences(string user)
    {
        var now = _clock.Now;
        var result = new List<(string Coin, decimal Delta)>();
        lock (_gate)
        {
            foreach (var fault in _faults)
            {
                if (fault.Spec.Kind == FaultKind.DivergePosition
                    && string.Equals(fault.Spec.User, user, StringComparison.OrdinalIgnoreCase)
                    && fault.TryConsume(now))
                {
                    result.Add((fault.Spec.Coin!, fault.Spec.Delta));
                }
            }
        }

        if (result.Count > 0)
        {
            _signal.Pulse();
        }

        return result;
    }
}
