using System.Net;
using HyperFunctions.Simulator.Core;

namespace HyperFunctions.Simulator;

/// <summary>Configuration of one simulator instance.</summary>
public sealed class SimulatorOptions
{
    /// <summary>Seed of the market's random walk, synthetic trades and ids.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>IP address to bind (<c>localhost</c> means 127.0.0.1).</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Source of ALL simulator time: idle close, ticks, funding, fault durations, latency, rate-limit windows.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>A WebSocket on which the client sent nothing for this long is closed (venue: 60 s).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Market step interval (random walk, book requote, trades, contexts); zero disables the ticker.</summary>
    public TimeSpan MarketTickInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Funding settlement interval, aligned to the epoch (venue: hourly, on the hour).</summary>
    public TimeSpan FundingInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Listed perpetuals; index = asset id.</summary>
    public IReadOnlyList<SimulatorCoin> Coins { get; init; } = SimulatorCoin.Defaults;

    /// <summary>Registered users (signers).</summary>
    public IReadOnlyList<SimulatorAccount> Accounts { get; init; } = [SimulatorAccount.Dev];

    /// <summary>Create an account (with <see cref="AutoRegisteredUsdc"/>) for any unknown signer instead of rejecting it.</summary>
    public bool AutoRegisterSigners { get; init; }

    /// <summary>Balance given to auto-registered signers.</summary>
    public decimal AutoRegisteredUsdc { get; init; } = 100_000m;

    /// <summary>Recover signers with the mainnet phantom-agent source "a" (true) or testnet "b" (false).</summary>
    public bool IsMainnet { get; init; } = true;

    /// <summary>Send the text "Websocket connection established." first on every WebSocket.</summary>
    public bool SendConnectionEstablished { get; init; } = true;

    /// <summary>REST weight budget per IP per rolling minute (venue: 1200).</summary>
    public int RestWeightPerMinute { get; init; } = 1200;

    /// <summary>A copy-target account that trades by itself (<see cref="CopyTargetBot"/>); null (default): none.</summary>
    public CopyTargetBotOptions? CopyTargetBot { get; init; }

    /// <summary>Synthetic market-maker price levels per side.</summary>
    public int BookDepth { get; init; } = 10;

    /// <summary>Log level of the simulator's own log lines (ASP.NET Core is kept at Warning).</summary>
    public Microsoft.Extensions.Logging.LogLevel LogLevel { get; init; } = Microsoft.Extensions.Logging.LogLevel.Warning;

    internal IPAddress BindAddress =>
        string.Equals(Host, "localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback : IPAddress.Parse(Host);

    /// <summary>Throws <see cref="ArgumentException"/> describing the first invalid setting.</summary>
    public void Validate()
    {
        if (!string.Equals(Host, "localhost", StringComparison.OrdinalIgnoreCase) && !IPAddress.TryParse(Host, out _))
        {
            throw new ArgumentException($"Host '{Host}' is not an IP address or 'localhost'.", nameof(Host));
        }

        Require(Port is >= 0 and <= 65535, nameof(Port), $"Port {Port} is outside 0..65535.");
        ArgumentNullException.ThrowIfNull(TimeProvider);
        Require(IdleTimeout > TimeSpan.Zero, nameof(IdleTimeout), "IdleTimeout must be positive.");
        Require(MarketTickInterval >= TimeSpan.Zero, nameof(MarketTickInterval), "MarketTickInterval must not be negative.");
        Require(FundingInterval > TimeSpan.Zero, nameof(FundingInterval), "FundingInterval must be positive.");
        Require(RestWeightPerMinute > 0, nameof(RestWeightPerMinute), "RestWeightPerMinute must be positive.");
        Require(BookDepth is >= 1 and <= 20, nameof(BookDepth), "BookDepth must be within 1..20.");
        ValidateCoins();
        ValidateAccounts();
        ValidateCopyTargetBot();
    }

    private void ValidateCoins()
    {
        Require(Coins is { Count: > 0 }, nameof(Coins), "At least one coin is required.");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var coin in Coins)
        {
            Require(!string.IsNullOrWhiteSpace(coin.Name) && names.Add(coin.Name), nameof(Coins), $"Coin name '{coin.Name}' is empty or repeated.");
            Require(coin.SzDecimals is >= 0 and <= 6, nameof(Coins), $"{coin.Name}: SzDecimals must be within 0..6.");
            Require(coin.MaxLeverage is >= 1 and <= 100, nameof(Coins), $"{coin.Name}: MaxLeverage must be within 1..100.");
            Require(coin.InitialPrice > 0m, nameof(Coins), $"{coin.Name}: InitialPrice must be positive.");
            Require(coin.Volatility is >= 0m and < 0.1m, nameof(Coins), $"{coin.Name}: Volatility must be within [0, 0.1).");
        }
    }

    private void ValidateAccounts()
    {
        ArgumentNullException.ThrowIfNull(Accounts);
        foreach (var account in Accounts)
        {
            Require(Addresses.TryNormalizeAddress(account.Address, out _), nameof(Accounts), $"Account address '{account.Address}' is not 0x + 40 hex digits.");
            Require(account.Usdc >= 0m, nameof(Accounts), $"Account {account.Address}: Usdc must not be negative.");
            foreach (var agent in account.Agents)
            {
                Require(Addresses.TryNormalizeAddress(agent, out _), nameof(Accounts), $"Agent address '{agent}' is not 0x + 40 hex digits.");
            }
        }
    }

    private void ValidateCopyTargetBot()
    {
        if (CopyTargetBot is not { } bot)
        {
            return;
        }

        Require(Addresses.TryNormalizeAddress(bot.Address, out _), nameof(CopyTargetBot), $"CopyTargetBot address '{bot.Address}' is not 0x + 40 hex digits.");
        var coin = Coins.FirstOrDefault(c => c.Name == bot.Coin);
        Require(coin is not null, nameof(CopyTargetBot), $"CopyTargetBot coin '{bot.Coin}' is not listed.");
        Require(Market.PriceRules.IsValidSize(bot.Size, coin!.SzDecimals), nameof(CopyTargetBot), $"CopyTargetBot size {bot.Size} is not a positive size with at most {coin.SzDecimals} decimals.");
        Require(bot.Interval >= TimeSpan.Zero, nameof(CopyTargetBot), "CopyTargetBot interval must not be negative.");
    }

    private static void Require(bool condition, string parameter, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message, parameter);
        }
    }
}
