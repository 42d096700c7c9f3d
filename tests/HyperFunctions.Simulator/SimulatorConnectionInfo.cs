namespace HyperFunctions.Simulator;

/// <summary>A snapshot of one open WebSocket connection.</summary>
/// <param name="Id">Sequential connection id.</param>
/// <param name="Remote">Remote endpoint.</param>
/// <param name="ConnectedAt">Accept time on the simulator clock.</param>
/// <param name="Subscriptions">Subscription keys (e.g. <c>l2Book:BTC</c>, <c>userFills:0x…</c>).</param>
/// <param name="MessagesSent">Frames written to this client.</param>
/// <param name="MessagesReceived">Messages received from this client.</param>
/// <param name="MessagesSuppressed">Messages swallowed by a Silence fault.</param>
/// <param name="IsSilenced">Whether a Silence fault holds this connection now.</param>
public sealed record SimulatorConnectionInfo(
    long Id,
    string Remote,
    DateTimeOffset ConnectedAt,
    IReadOnlyList<string> Subscriptions,
    long MessagesSent,
    long MessagesReceived,
    long MessagesSuppressed,
    bool IsSilenced);
