using System.Globalization;
using HyperFunctions.Domain.Alerts;
using HyperFunctions.Domain.Safety;

namespace HyperFunctions.Domain.Checks;

/// <summary>How one coin's book fared in a staleness run.</summary>
public enum BookOutcome
{
    /// <summary>The keeper's book is within the limit.</summary>
    Fresh,
    /// <summary>The keeper's book was stale; a forced REST read gave a fresh one.</summary>
    RefreshedOverRest,
    /// <summary>The keeper's book and the REST read were stale or failed; the backup source gave a fresh one.</summary>
    RefreshedFromBackup,
    /// <summary>Nothing fresh anywhere.</summary>
    Stale,
}

/// <param name="BookAt">The venue's time of the freshest book seen for the coin (keeper, REST or backup).</param>
public sealed record CoinBook(string Coin, BookOutcome Outcome, DateTimeOffset? BookAt, string Detail);

/// <summary>
/// MARKET_DATA_STALE (ARMED_SAFE) when a coin has no fresh book from the keeper, a forced REST read, or
/// the backup source. A coin refreshed over REST or the backup is degraded, not stale: the data exists,
/// the feed does not carry it.
/// </summary>
public static class StalenessRule
{
    /// <summary>True when the book is missing or older than <paramref name="limit"/> (venue book time).</summary>
    public static bool IsStale(DateTimeOffset? bookAt, DateTimeOffset now, TimeSpan limit) => bookAt is not { } at || now - at > limit;

    public static CheckVerdict Evaluate(string check, IReadOnlyList<CoinBook> coins, DateTimeOffset now, TimeSpan limit)
    {
        ArgumentNullException.ThrowIfNull(coins);
        var stale = coins.Where(c => c.Outcome == BookOutcome.Stale).Select(c => c.Coin).ToList();
        var refreshed = coins.Where(c => c.Outcome is BookOutcome.RefreshedOverRest or BookOutcome.RefreshedFromBackup).ToList();
        var data = new Dictionary<string, string>(StringComparer.Ordinal) { ["staleCoins"] = string.Join(',', stale) };
        foreach (var c in coins)
            data["book:" + c.Coin] = $"{c.Outcome}: {(c.BookAt is { } at ? Age(now - at) + " s old" : "no book")}; {c.Detail}";

        if (stale.Count > 0)
        {
            var why = $"order book older than {Age(limit)} s for {string.Join(", ", stale)} after a forced REST refresh"
                + (coins.Any(c => c.Detail.Contains("backup", StringComparison.Ordinal)) ? " and the backup source" : " (no backup source configured)");
            return CheckVerdict.Of(check, CheckHealth.Unhealthy, why,
                [ConditionVerdict.Raise(ReasonCode.MarketDataStale, SafetyMode.ArmedSafe, AlertLevel.Operations, "Market data stale: " + why)],
                [RefreshNotice(refreshed)], data);
        }
        var healthy = ConditionVerdict.Healthy(ReasonCode.MarketDataStale, SafetyMode.ArmedSafe, AlertLevel.Operations, "Every coin's book is fresh.");
        if (refreshed.Count > 0)
            return CheckVerdict.Of(check, CheckHealth.Degraded,
                $"the keeper's book was stale for {string.Join(", ", refreshed.Select(c => c.Coin))}; refreshed over {string.Join(", ", refreshed.Select(c => c.Outcome == BookOutcome.RefreshedOverRest ? "REST" : "the backup").Distinct())}",
                [healthy], [RefreshNotice(refreshed)], data);
        return CheckVerdict.Of(check, CheckHealth.Healthy, $"books fresh for {string.Join(", ", coins.Select(c => c.Coin))}", [healthy], [RefreshNotice(refreshed)], data);
    }

    private static CheckNotice RefreshNotice(IReadOnlyList<CoinBook> refreshed) =>
        new("book-refreshed", refreshed.Count > 0, AlertLevel.AutomatedRecovery,
            refreshed.Count > 0 ? "Stale books refreshed outside the feed" : "Books fresh from the feed again",
            refreshed.Count > 0 ? string.Join("; ", refreshed.Select(c => $"{c.Coin}: {c.Detail}")) : "The keeper's books are within the limit.");

    private static string Age(TimeSpan t) => Math.Max(0, t.TotalSeconds).ToString("F0", CultureInfo.InvariantCulture);
}
