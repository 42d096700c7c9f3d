using System.Net.WebSockets;
using HyperFunctions.Simulator.Core;

namespace HyperFunctions.Simulator;

/// <summary>
/// A scripted fault. <see cref="Count"/> limits how many times it takes effect; <see cref="Duration"/>
/// limits how long (on the simulator clock) it stays active; both may be combined. With neither, a
/// connection fault hits the current connections once and every other fault stays until removed.
/// </summary>
public sealed record FaultSpec(FaultKind Kind)
{
    public int? Count { get; init; }

    public TimeSpan? Duration { get; init; }

    /// <summary>Latency: the added delay.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>Latency: which transport.</summary>
    public FaultTarget Target { get; init; } = FaultTarget.All;

    /// <summary>RateLimit: value of the Retry-After header (whole seconds, rounded up); null = no header.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>HttpError: the status code answered.</summary>
    public int StatusCode { get; init; } = 503;

    /// <summary>RejectOrders: the error text (the venue appends " asset=N"); CorruptFrames: the raw frame text; MalformedInfo: the body answered.</summary>
    public string? Message { get; init; }

    /// <summary>Goodbye: the close status.</summary>
    public WebSocketCloseStatus CloseStatus { get; init; } = WebSocketCloseStatus.EndpointUnavailable;

    /// <summary>Goodbye: the close description.</summary>
    public string CloseReason { get; init; } = "goodbye";

    /// <summary>DivergePosition: the user whose position diverges.</summary>
    public string? User { get; init; }

    /// <summary>DivergePosition, RejectOrders, StopFunding: restrict to one coin (null = all coins).</summary>
    public string? Coin { get; init; }

    /// <summary>DivergePosition: added to the signed size reported for <see cref="User"/> in <see cref="Coin"/>.</summary>
    public decimal Delta { get; init; }

    /// <summary>MalformedInfo: restrict to <c>/info</c> requests of this <c>type</c> (null = every info request).</summary>
    public string? InfoType { get; init; }

    internal bool IsConnectionFault => Kind is FaultKind.DropConnections or FaultKind.Silence or FaultKind.Goodbye or FaultKind.CorruptFrames;

    /// <summary>Throws <see cref="ArgumentException"/> when the spec cannot work.</summary>
    public void Validate()
    {
        Check(Count is null or > 0, "Count must be positive.");
        Check(Duration is null || Duration > TimeSpan.Zero, "Duration must be positive.");
        Check(Kind != FaultKind.Latency || Latency > TimeSpan.Zero, "Latency must be positive.");
        Check(RetryAfter is null || RetryAfter >= TimeSpan.Zero, "RetryAfter must not be negative.");
        Check(Kind != FaultKind.HttpError || StatusCode is >= 400 and <= 599, "StatusCode must be 400..599.");
        Check(Kind != FaultKind.Goodbye || (int)CloseStatus is >= 1000 and <= 4999, "CloseStatus must be 1000..4999.");
        Check(Kind != FaultKind.Goodbye || System.Text.Encoding.UTF8.GetByteCount(CloseReason) <= 123, "CloseReason must fit 123 bytes.");
        if (Kind == FaultKind.DivergePosition)
        {
            Check(Addresses.TryNormalizeAddress(User, out _), "DivergePosition needs User (0x + 40 hex).");
            Check(!string.IsNullOrEmpty(Coin), "DivergePosition needs Coin.");
            Check(Delta != 0m, "DivergePosition needs a non-zero Delta.");
        }
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
