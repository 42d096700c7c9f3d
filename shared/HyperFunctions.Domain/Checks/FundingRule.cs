using System.Globalization;
using HyperFunctions.Domain.Alerts;
using HyperFunctions.Domain.Safety;

namespace HyperFunctions.Domain.Checks;

/// <summary>One coin's funding as the check found it.</summary>
/// <param name="FundingAt">When the keeper last received the coin's funding (the venue's context carries no time).</param>
/// <param name="Fetched">The direct fetch's rate when the keeper's was stale and the fetch answered; null otherwise.</param>
/// <param name="FetchDetail">What the direct fetch did ("not needed" for a fresh coin).</param>
public sealed record CoinFunding(string Coin, decimal? LastKnown, DateTimeOffset? FundingAt, decimal? Fetched, string FetchDetail);

/// <summary>
/// FUNDING_STALE (ARMED_SAFE) when a coin's funding has not been updated for longer than the limit and a
/// direct fetch did not bring a current rate. While it holds: the last known rate stays shown, flagged;
/// the alert goes to the risk level; execution multiplies position sizes by the reduction factor (published
/// in the result's data as <c>sizeReductionFactor</c>, "1" when nothing is stale).
/// </summary>
public static class FundingRule
{
    public static bool IsStale(DateTimeOffset? fundingAt, DateTimeOffset now, TimeSpan limit) => fundingAt is not { } at || now - at > limit;

    public static CheckVerdict Evaluate(string check, IReadOnlyList<CoinFunding> coins, DateTimeOffset now, TimeSpan limit, double reductionFactor)
    {
        ArgumentNullException.ThrowIfNull(coins);
        var overdue = coins.Where(c => IsStale(c.FundingAt, now, limit)).ToList();
        var stale = overdue.Where(c => c.Fetched is null).ToList();
        var fetched = overdue.Where(c => c.Fetched is not null).ToList();
        var data = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["staleCoins"] = string.Join(',', stale.Select(c => c.Coin)),
            ["sizeReductionFactor"] = (stale.Count > 0 ? reductionFactor : 1).ToString("0.####", CultureInfo.InvariantCulture),
        };
        foreach (var c in coins)
            data["funding:" + c.Coin] = $"{(c.LastKnown is { } r ? r.ToString(CultureInfo.InvariantCulture) : "unknown")} received {(c.FundingAt is { } at ? Age(now - at) + " s ago" : "never")}; {c.FetchDetail}";

        var limitText = Age(limit);
        if (stale.Count > 0)
        {
            var why = $"funding not updated for more than {limitText} s for {string.Join(", ", stale.Select(c => c.Coin))} and the direct fetch did not help "
                + $"({string.Join("; ", stale.Select(c => $"{c.Coin}: last known {(c.LastKnown is { } r ? r.ToString(CultureInfo.InvariantCulture) : "none")}, {c.FetchDetail}"))}); "
                + $"position sizes are multiplied by {reductionFactor.ToString("0.####", CultureInfo.InvariantCulture)} while this holds";
            return CheckVerdict.Of(check, CheckHealth.Unhealthy, why,
                [ConditionVerdict.Raise(ReasonCode.FundingStale, SafetyMode.ArmedSafe, AlertLevel.Risk, "Funding stale: " + why)], [], data);
        }
        var healthy = ConditionVerdict.Healthy(ReasonCode.FundingStale, SafetyMode.ArmedSafe, AlertLevel.Risk, "Funding current for every coin.");
        if (fetched.Count > 0)
            return CheckVerdict.Of(check, CheckHealth.Degraded,
                $"the keeper's funding was older than {limitText} s for {string.Join(", ", fetched.Select(c => c.Coin))}; a direct fetch brought a current rate",
                [healthy], [], data);
        return CheckVerdict.Of(check, CheckHealth.Healthy, $"funding current for {string.Join(", ", coins.Select(c => c.Coin))}", [healthy], [], data);
    }

    private static string Age(TimeSpan t) => Math.Max(0, t.TotalSeconds).ToString("F0", CultureInfo.InvariantCulture);
}
