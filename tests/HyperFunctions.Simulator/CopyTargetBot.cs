using HyperFunctions.Simulator.Core;
using HyperFunctions.Simulator.Exchange;
using HyperFunctions.Simulator.Market;

namespace HyperFunctions.Simulator;

/// <summary>
/// A "copy target" account that trades by itself, so copy trading can be seen on the simulator (off by default).
/// Every <see cref="Interval"/> it sends one IOC order of <see cref="Size"/> <see cref="Coin"/> that crosses the book,
/// alternating buy and sell (so its position stays near flat): a taker fill on the target's userFills feed, like any
/// trade. Not a venue feature.
/// </summary>
/// <param name="Address">The bot's account (registered with a fresh balance if not among <see cref="SimulatorOptions.Accounts"/>).</param>
public sealed record CopyTargetBotOptions(string Address)
{
    /// <summary>Hardhat/Anvil account #1, the local run's copy target.</summary>
    public const string DefaultAddress = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";

    public string Coin { get; init; } = "BTC";

    public decimal Size { get; init; } = 0.002m;

    /// <summary>Time between trades on the simulator's clock; zero: trades only when <see cref="CopyTargetBot.Trade"/> is called.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>The outcome of one bot trade: its side, size, whether it filled, and the venue's answer entry.</summary>
public sealed record CopyTargetTrade(string Coin, bool IsBuy, decimal Size, bool Filled, string Status);

/// <summary>The running bot (<see cref="HyperliquidSimulator.CopyTarget"/>).</summary>
public sealed class CopyTargetBot : IDisposable
{
    private readonly ExchangeState _state;
    private readonly ExchangeActions _actions;
    private readonly CopyTargetBotOptions _options;
    private readonly SimulatorStats _stats;
    private ITimer? _timer;
    private bool _nextBuy = true;

    internal CopyTargetBot(ExchangeState state, ExchangeActions actions, SimulatorStats stats, CopyTargetBotOptions options)
    {
        _state = state;
        _actions = actions;
        _stats = stats;
        _options = options;
        Addresses.TryNormalizeAddress(options.Address, out var address);
        Address = address!;
        lock (state.Gate)
        {
            if (state.FindAccount(Address) is null) state.AddAccount(new SimulatorAccount(Address));
        }
    }

    /// <summary>The bot's account, lower case.</summary>
    public string Address { get; }

    public string Coin => _options.Coin;

    public TimeSpan Interval => _options.Interval;

    internal void Start()
    {
        if (_options.Interval > TimeSpan.Zero)
            _timer = _state.Clock.Provider.CreateTimer(_ => Trade(), null, _options.Interval, _options.Interval);
    }

    /// <summary>One trade now: an IOC order 1 % through the touch, the other side from the last one.</summary>
    public CopyTargetTrade Trade()
    {
        lock (_state.Gate)
        {
            var coin = _state.FindCoin(_options.Coin)!;
            var isBuy = _nextBuy;
            _nextBuy = !_nextBuy;
            var touch = (isBuy ? coin.Book.BestAsk : coin.Book.BestBid) ?? coin.MidOrLast;
            var px = isBuy ? PriceRules.CeilingPrice(touch * 1.01m, coin.SzDecimals) : PriceRules.FloorPrice(touch * 0.99m, coin.SzDecimals);
            var status = _actions.PlaceAs(Address, new OrderRequest(coin.Asset, isBuy, px, _options.Size, false, "Ioc", false, null));
            _stats.BotTrade();
            return new CopyTargetTrade(coin.Name, isBuy, _options.Size, status.ToJsonString().Contains("\"filled\"", StringComparison.Ordinal), status.ToJsonString());
        }
    }

    public void Dispose() => _timer?.Dispose();
}
