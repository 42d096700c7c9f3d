using System.Globalization;

namespace HyperFunctions.Simulator.Exchange;

/// <summary>
/// The venue's nonce rule per signer: the 100 highest nonces are kept; a new nonce must not be one of
/// them, must exceed the smallest of them once 100 are kept, and must lie within (T − 2 days, T + 1 day).
/// </summary>
internal sealed class NonceTracker
{
    public const int Kept = 100;
    private static readonly long TwoDaysMs = (long)TimeSpan.FromDays(2).TotalMilliseconds;
    private static readonly long OneDayMs = (long)TimeSpan.FromDays(1).TotalMilliseconds;
    private readonly SortedSet<long> _highest = [];

    /// <summary>Records the nonce, or returns the venue-style error message.</summary>
    public string? TryUse(long nonce, long nowMs)
    {
        if (nonce <= nowMs - TwoDaysMs)
        {
            return Format("Invalid nonce: nonce too low {0} < {1}", nonce, nowMs - TwoDaysMs);
        }

        if (nonce >= nowMs + OneDayMs)
        {
            return Format("Invalid nonce: nonce too high {0} > {1}", nonce, nowMs + OneDayMs);
        }

        if (_highest.Contains(nonce))
        {
            return Format("Invalid nonce: duplicate nonce {0}", nonce);
        }

        if (_highest.Count >= Kept && nonce <= _highest.Min)
        {
            return Format("Invalid nonce: nonce too low {0} < {1}", nonce, _highest.Min);
        }

        _highest.Add(nonce);
        if (_highest.Count > Kept)
        {
            _highest.Remove(_highest.Min);
        }

        return null;
    }

    private static string Format(string format, params object[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
}
