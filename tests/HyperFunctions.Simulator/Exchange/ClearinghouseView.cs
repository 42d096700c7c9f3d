using HyperFunctions.Simulator.Core;
using HyperFunctions.Simulator.Json;
using HyperFunctions.Simulator.Market;

namespace HyperFunctions.Simulator.Exchange;

/// <summary>
/// Builds clearinghouseState at mark prices (cross margin). <paramref name="divergences"/> (from a
/// DivergePosition fault) are added to the reported sizes only; the account itself is untouched.
/// </summary>
internal static class ClearinghouseView
{
    public static ClearinghouseStateData Build(ExchangeState state, AccountState? account, IReadOnlyList<(string Coin, decimal Delta)> divergences)
    {
        var positions = new List<AssetPositionData>();
        decimal upnlTotal = 0m, notionalTotal = 0m, marginTotal = 0m, maintenanceTotal = 0m, signedNotional = 0m;
        var rows = new List<(CoinState Coin, Position Position, decimal Szi, int Leverage)>();
        foreach (var coin in state.Coins)
        {
            var position = account?.Positions.GetValueOrDefault(coin.Asset);
            var szi = (position?.Szi ?? 0m) + divergences.Where(d => d.Coin == coin.Name).Sum(d => d.Delta);
            if (szi == 0m)
            {
                continue;
            }

            var entry = position is { Szi: not 0m } ? position : new Position { Szi = szi, EntryPx = coin.MarkPx };
            var leverage = account?.LeverageFor(coin) ?? Math.Min(20, coin.Config.MaxLeverage);
            rows.Add((coin, entry, szi, leverage));
            var value = Math.Abs(szi) * coin.MarkPx;
            upnlTotal += szi * (coin.MarkPx - entry.EntryPx);
            notionalTotal += value;
            marginTotal += value / leverage;
            maintenanceTotal += value / (2m * coin.Config.MaxLeverage);
            signedNotional += szi * coin.MarkPx;
        }

        var accountValue = (account?.Usdc ?? 0m) + upnlTotal;
        foreach (var (coin, position, szi, leverage) in rows)
        {
            positions.Add(new AssetPositionData(Row(coin, position, szi, leverage, accountValue, maintenanceTotal), "oneWay"));
        }

        var summary = new MarginSummaryData(Wire.Usd(accountValue), Wire.Usd(notionalTotal), Wire.Usd(accountValue - signedNotional), Wire.Usd(marginTotal));
        return new ClearinghouseStateData(
            positions,
            summary,
            summary,
            Wire.Usd(maintenanceTotal),
            Wire.Usd(Math.Max(0m, accountValue - marginTotal)),
            state.Clock.NowMs);
    }

    private static PositionData Row(CoinState coin, Position position, decimal szi, int leverage, decimal accountValue, decimal maintenanceTotal)
    {
        var value = Math.Abs(szi) * coin.MarkPx;
        var upnl = szi * (coin.MarkPx - position.EntryPx);
        var margin = value / leverage;
        var initialMargin = Math.Abs(szi) * position.EntryPx / leverage;
        var liquidation = coin.MarkPx - (Math.Sign(szi) * (accountValue - maintenanceTotal) / Math.Abs(szi));
        var priceDecimals = Math.Max(0, 6 - coin.SzDecimals);
        return new PositionData(
            coin.Name,
            Wire.Num(szi),
            new LeverageData("cross", leverage),
            Wire.Num(Math.Round(position.EntryPx, priceDecimals, MidpointRounding.AwayFromZero)),
            Wire.Usd(value),
            Wire.Usd(upnl),
            Wire.Rate(initialMargin == 0m ? 0m : upnl / initialMargin),
            liquidation > 0m ? Wire.Num(Math.Round(liquidation, priceDecimals, MidpointRounding.AwayFromZero)) : null,
            Wire.Usd(margin),
            coin.Config.MaxLeverage,
            new CumFundingData(Wire.Usd(position.FundingAllTime), Wire.Usd(position.FundingSinceOpen), Wire.Usd(position.FundingSinceChange)));
    }
}
