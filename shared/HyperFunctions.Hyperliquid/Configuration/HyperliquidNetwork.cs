namespace HyperFunctions.Hyperliquid.Configuration;

/// <summary>Which venue the clients talk to.</summary>
public enum HyperliquidNetwork
{
    /// <summary>The project's simulator; URLs must be given.</summary>
    Simulator,

    /// <summary>Hyperliquid testnet.</summary>
    Testnet,

    /// <summary>Hyperliquid mainnet.</summary>
    Mainnet,
}
