using HyperFunctions.Configuration;
using HyperFunctions.Domain.Checks;
using HyperFunctions.Functions.Checks;
using HyperFunctions.Functions.Http;
using HyperFunctions.Hyperliquid.Rest;
using HyperFunctions.Storage.Streaming;

namespace HyperFunctions.Functions.Functions.Checks;

/// <summary>
/// Timer: has each coin's funding been updated within Checks:Funding:MaxAgeSeconds? The keeper's market
/// rows say when funding last arrived; an overdue coin gets a direct fetch (metaAndAssetCtxs); still none →
/// FUNDING_STALE (ARMED_SAFE), the risk-level alert, the last known rate flagged in status, and the
/// reduction factor execution applies while the condition holds.
/// </summary>
public sealed class FundingDelayCheck(StreamFactsStore facts, IHyperliquidInfoClient venue, LoadedConfiguration configuration) : ICheck
{
    private readonly TimeSpan _limit = TimeSpan.FromSeconds(configuration.Settings.Checks.Funding.MaxAgeSeconds);
    private readonly double _factor = configuration.Settings.Checks.Funding.ReductionFactor;
    private readonly IReadOnlyList<string> _coins = configuration.Settings.Keeper.EffectiveCoins;

    public string Name => nameof(FundingDelayCheck);

    public async Task<CheckVerdict> EvaluateAsync(CheckContext context, CancellationToken ct)
    {
        var rows = (await facts.ReadMarketsIfAnyAsync(ct)).ToDictionary(m => m.Coin, StringComparer.Ordinal);
        var overdue = _coins.Where(c => FundingRule.IsStale(rows.GetValueOrDefault(c)?.FundingAt, context.Now, _limit)).ToList();
        var (fetched, detail) = overdue.Count == 0 ? (new Dictionary<string, decimal>(), "not needed") : await FetchAsync(ct);
        var coins = _coins.Select(c =>
        {
            var row = rows.GetValueOrDefault(c);
            var needed = overdue.Contains(c);
            return new CoinFunding(c, row?.Funding, row?.FundingAt, needed && fetched.TryGetValue(c, out var rate) ? rate : null,
                !needed ? "not needed" : fetched.ContainsKey(c) ? "direct fetch: " + detail : "direct fetch: " + (fetched.Count > 0 ? "coin missing from the answer" : detail));
        }).ToList();
        return FundingRule.Evaluate(Name, coins, context.Now, _limit, _factor);
    }

    private async Task<(Dictionary<string, decimal> Rates, string Detail)> FetchAsync(CancellationToken ct)
    {
        try
        {
            var answer = await venue.GetMetaAndAssetContextsAsync(ct);
            var rates = new Dictionary<string, decimal>(StringComparer.Ordinal);
            for (var i = 0; i < Math.Min(answer.Meta.Universe.Count, answer.Contexts.Count); i++)
            {
                if (answer.Contexts[i].Funding is { } rate) rates[answer.Meta.Universe[i].Name] = rate;
            }
            return (rates, "metaAndAssetCtxs answered");
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            return ([], $"failed: {ex.GetType().Name}: {SafeText.Display(ex.Message, 160)}");
        }
    }
}
