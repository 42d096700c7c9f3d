namespace HyperFunctions.Domain.Streaming;

/// <summary>
/// Paging of userFillsByTime: the venue answers fills with startTime ≤ time ≤ endTime, oldest first, capped
/// per answer. A full page may cut a millisecond in two, so the next page starts at the last fill's time
/// (inclusive) and the fill keys drop the repeats. Pure.
/// </summary>
public static class FillPaging
{
    /// <summary>The start of the next page, or null when <paramref name="pageTimes"/> was the last page.</summary>
    /// <param name="pageStart">Start time (ms) of the page just read.</param>
    /// <param name="pageTimes">Fill times (ms) of the page, in the venue's order.</param>
    /// <param name="pageCap">The venue's cap per answer.</param>
    public static long? NextStart(long pageStart, IReadOnlyList<long> pageTimes, int pageCap)
    {
        ArgumentNullException.ThrowIfNull(pageTimes);
        if (pageTimes.Count < pageCap || pageTimes.Count == 0) return null;
        var last = pageTimes.Max();
        // A page full of one millisecond would repeat forever: move on (more than cap fills in one ms cannot be read by time).
        return last > pageStart ? last : pageStart + 1;
    }
}

/// <summary>The venue's identity of a fill and of an order update, as storage keys.</summary>
public static class EventKeys
{
    /// <summary>A fill: transaction hash and trade id (both fills of a match share the tid, but not the account).</summary>
    public static string Fill(string hash, long tid) => $"{hash}-{tid.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>An order update: order id, status time and status.</summary>
    public static string OrderUpdate(long oid, long statusTimestamp, string status) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{oid:D20}-{statusTimestamp:D13}-{status}");
}
