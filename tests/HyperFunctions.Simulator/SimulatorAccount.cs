namespace HyperFunctions.Simulator;

/// <summary>
/// A user known to the simulated venue. Actions signed by <see cref="Address"/> or by one of
/// <see cref="Agents"/> (API wallets) act on this account; any other recovered signer is answered
/// "User or API Wallet 0x… does not exist.". A vault or sub-account is an account whose agents include
/// its master, addressed with <c>vaultAddress</c>.
/// </summary>
/// <param name="Address">The account address (0x + 40 hex, any case).</param>
public sealed record SimulatorAccount(string Address)
{
    /// <summary>Private key of the well-known development account (Hardhat/Anvil account #0). Test use only.</summary>
    public const string DevPrivateKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

    /// <summary>Starting USDC balance.</summary>
    public decimal Usdc { get; init; } = 100_000m;

    /// <summary>API wallet addresses allowed to sign for this account.</summary>
    public IReadOnlyList<string> Agents { get; init; } = [];

    /// <summary>The development account, funded with 100 000 USDC (address of <see cref="DevPrivateKey"/>).</summary>
    public static SimulatorAccount Dev { get; } = new("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
}
