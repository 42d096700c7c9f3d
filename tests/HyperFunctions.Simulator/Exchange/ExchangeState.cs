using HyperFunctions.Simulator.Core;
using HyperFunctions.Simulator.Market;

namespace HyperFunctions.Simulator.Exchange;

/// <summary>
/// The whole simulated venue state. Every read and write happens under <see cref="Gate"/>, which also
/// orders the published messages consistently with the state they describe.
/// </summary>
internal sealed class ExchangeState
{
    private readonly Dictionary<string, CoinState> _coinsByName;
    private readonly Dictionary<string, AccountState> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NonceTracker> _nonces = new(StringComparer.Ordinal);

    public ExchangeState(SimulatorOptions options, SimClock clock, IdSource ids)
    {
        Options = options;
        Clock = clock;
        Ids = ids;
        MarketRandom = new Random(options.Seed);
        Coins = options.Coins.Select((coin, asset) => new CoinState(asset, coin)).ToList();
        _coinsByName = Coins.ToDictionary(c => c.Name, StringComparer.Ordinal);
        MarketMakerAddress = ids.NextAddress();
        Traders = Enumerable.Range(0, 8).Select(_ => ids.NextAddress()).ToList();
        foreach (var account in options.Accounts)
        {
            AddAccount(account);
        }
    }

    public Lock Gate { get; } = new();

    public SimulatorOptions Options { get; }

    public SimClock Clock { get; }

    public IdSource Ids { get; }

    public Random MarketRandom { get; }

    public IReadOnlyList<CoinState> Coins { get; }

    /// <summary>Address shown as the counterparty of market-maker liquidity in trades.</summary>
    public string MarketMakerAddress { get; }

    /// <summary>Addresses shown on synthetic trades.</summary>
    public IReadOnlyList<string> Traders { get; }

    public IEnumerable<AccountState> Accounts => _accounts.Values;

    public CoinState? FindCoin(string? name) => name is not null && _coinsByName.TryGetValue(name, out var coin) ? coin : null;

    public CoinState? FindAsset(long asset) => asset >= 0 && asset < Coins.Count ? Coins[(int)asset] : null;

    public AccountState? FindAccount(string address) => _accounts.GetValueOrDefault(address);

    public AccountState AddAccount(SimulatorAccount config)
    {
        Addresses.TryNormalizeAddress(config.Address, out var address);
        var account = new AccountState(address!, config.Usdc);
        foreach (var agent in config.Agents)
        {
            Addresses.TryNormalizeAddress(agent, out var normalized);
            account.Agents.Add(normalized!);
        }

        _accounts[account.Address] = account;
        return account;
    }

    /// <summary>The account a signer acts for: the vault when given (signer must be it or one of its agents), else the signer's own account or the account it is an agent of.</summary>
    public AccountState? ResolveAccount(string signer, string? vaultAddress)
    {
        if (vaultAddress is not null)
        {
            var vault = FindAccount(vaultAddress);
            return vault is not null && (vault.Address == signer || vault.Agents.Contains(signer)) ? vault : null;
        }

        return FindAccount(signer) ?? _accounts.Values.FirstOrDefault(a => a.Agents.Contains(signer));
    }

    public NonceTracker NoncesOf(string signer)
    {
        if (!_nonces.TryGetValue(signer, out var tracker))
        {
            tracker = new NonceTracker();
            _nonces.Add(signer, tracker);
        }

        return tracker;
    }

    public decimal OpenInterest(CoinState coin) =>
        coin.BaseOpenInterest + _accounts.Values.Sum(a => Math.Abs(a.SziOf(coin.Asset)));
}
