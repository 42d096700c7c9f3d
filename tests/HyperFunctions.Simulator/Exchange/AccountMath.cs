using HyperFunctions.Simulator.Market;

namespace HyperFunctions.Simulator.Exchange;

/// <summary>Cross-margin valuation of an account at mark prices.</summary>
internal static class AccountMath
{
    public static decimal UnrealizedPnl(ExchangeState state, AccountState account) =>
        account.Positions.Where(p => p.Value.Szi != 0m).Sum(p => p.Value.Szi * (state.Coins[p.Key].MarkPx - p.Value.EntryPx));

    public static decimal AccountValue(ExchangeState state, AccountState account) => account.Usdc + UnrealizedPnl(state, account);

    public static decimal MarginUsed(ExchangeState state, AccountState account) =>
        account.Positions.Where(p => p.Value.Szi != 0m).Sum(p =>
        {
            var coin = state.Coins[p.Key];
            return Math.Abs(p.Value.Szi) * coin.MarkPx / account.LeverageFor(coin);
        });

    /// <summary>Margin reserved by resting orders that are not reduce-only.</summary>
    public static decimal OpenOrderMargin(ExchangeState state, AccountState account) =>
        account.Orders.Values
            .Where(o => o.Status == OrderStatuses.Open && !o.ReduceOnly)
            .Sum(o => o.Sz * o.LimitPx / account.LeverageFor(state.Coins[o.Asset]));

    public static decimal Available(ExchangeState state, AccountState account) =>
        AccountValue(state, account) - MarginUsed(state, account) - OpenOrderMargin(state, account);
}
