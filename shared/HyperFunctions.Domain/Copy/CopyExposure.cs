using System.Globalization;

namespace HyperFunctions.Domain.Copy;

/// <summary>
/// Where the own position in one coin can end up once the orders on their way are done: from
/// <see cref="Lowest"/> (every sell on its way fills, no buy does) to <see cref="Highest"/> (every buy
/// fills, no sell does). With nothing on its way both are the venue position.
/// </summary>
public readonly record struct PositionRange(decimal Lowest, decimal Highest)
{
    public static PositionRange At(decimal position) => new(position, position);

    /// <summary>The range once an order of <paramref name="signedSize"/> (buy positive, sell negative) is also on its way.</summary>
    public PositionRange With(decimal signedSize) =>
        signedSize >= 0 ? this with { Highest = Highest + signedSize } : this with { Lowest = Lowest + signedSize };

    public override string ToString() => Lowest == Highest
        ? Lowest.ToString(CultureInfo.InvariantCulture)
        : $"{Lowest.ToString(CultureInfo.InvariantCulture)} to {Highest.ToString(CultureInfo.InvariantCulture)} (with mirrored orders on their way)";
}

/// <summary>A mirrored order that is not final yet (RECEIVED, SENDING or UNKNOWN): it may still fill, wholly or in part, or not at all.</summary>
public sealed record OpenCopyOrder(string Cloid, string Coin, decimal SignedSize);

/// <summary>
/// The position the MaxPosition cap of copy trading is judged against, per coin: the venue position plus every
/// mirrored order still on its way, from earlier batches (the order store's open index) and from this one. An
/// order on its way may fill or not, so it widens the <see cref="PositionRange"/> on its own side only: a buy
/// in the queue does not make room for a sell, because if it is rejected the sell would go past the cap. So a
/// mirrored order cut to the room this leaves keeps the position within ±MaxPosition whichever of the orders on
/// their way fill, in whatever order (CopyRulesTests checks it for any sequence of fills, batches and outcomes).
/// </summary>
/// <remarks>
/// Counting errs on the safe side: an order that has filled at the venue but whose result is not recorded yet
/// (SENDING) is in both the venue position and the open orders, which only narrows the room until it is final.
/// The caller must therefore read the open orders BEFORE the venue position: read the other way round, an order
/// finishing in between would be in neither.
/// </remarks>
public sealed class CopyExposure
{
    private readonly Dictionary<string, PositionRange> _ranges = new(StringComparer.Ordinal);
    private readonly HashSet<string> _counted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _openByCoin = new(StringComparer.Ordinal);

    /// <param name="venue">The own account's signed position per coin (a coin not listed: 0).</param>
    /// <param name="open">Mirrored orders not final yet; one cloid counts once however often it is given.</param>
    public CopyExposure(IReadOnlyDictionary<string, decimal> venue, IEnumerable<OpenCopyOrder> open)
    {
        ArgumentNullException.ThrowIfNull(venue);
        ArgumentNullException.ThrowIfNull(open);
        foreach (var (coin, position) in venue) _ranges[coin] = PositionRange.At(position);
        foreach (var order in open) Add(order);
    }

    /// <summary>How many open mirrored orders are counted.</summary>
    public int Counted => _counted.Count;

    public PositionRange Of(string coin) => _ranges.GetValueOrDefault(coin);

    /// <summary>How many of the counted orders are in <paramref name="coin"/>.</summary>
    public int OpenOrders(string coin) => _openByCoin.GetValueOrDefault(coin);

    /// <summary>Counts one more order on its way; false (and no change) when its cloid is already counted.</summary>
    public bool Add(OpenCopyOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (!_counted.Add(order.Cloid)) return false;
        _ranges[order.Coin] = Of(order.Coin).With(order.SignedSize);
        _openByCoin[order.Coin] = OpenOrders(order.Coin) + 1;
        return true;
    }
}
