using System.Text.Json.Nodes;

namespace HyperFunctions.Hyperliquid.Signing;

/// <summary>Typed-field lists and primary types of the user-signed actions, as the official SDK defines them.</summary>
public static class UserSignedActions
{
    /// <summary>The chain id the SDK signs user actions with (Arbitrum Sepolia, 421614).</summary>
    public const long SignatureChainId = 0x66eee;
    public const string SignatureChainIdHex = "0x66eee";

    public const string UsdSendPrimaryType = "HyperliquidTransaction:UsdSend";
    public const string SpotSendPrimaryType = "HyperliquidTransaction:SpotSend";
    public const string WithdrawPrimaryType = "HyperliquidTransaction:Withdraw";
    public const string UsdClassTransferPrimaryType = "HyperliquidTransaction:UsdClassTransfer";
    public const string ApproveAgentPrimaryType = "HyperliquidTransaction:ApproveAgent";
    public const string ApproveBuilderFeePrimaryType = "HyperliquidTransaction:ApproveBuilderFee";

    public static IReadOnlyList<(string Name, string Type)> UsdSendTypes { get; } =
        [("hyperliquidChain", "string"), ("destination", "string"), ("amount", "string"), ("time", "uint64")];

    public static IReadOnlyList<(string Name, string Type)> SpotSendTypes { get; } =
        [("hyperliquidChain", "string"), ("destination", "string"), ("token", "string"), ("amount", "string"), ("time", "uint64")];

    public static IReadOnlyList<(string Name, string Type)> WithdrawTypes { get; } =
        [("hyperliquidChain", "string"), ("destination", "string"), ("amount", "string"), ("time", "uint64")];

    public static IReadOnlyList<(string Name, string Type)> UsdClassTransferTypes { get; } =
        [("hyperliquidChain", "string"), ("amount", "string"), ("toPerp", "bool"), ("nonce", "uint64")];

    public static IReadOnlyList<(string Name, string Type)> ApproveAgentTypes { get; } =
        [("hyperliquidChain", "string"), ("agentAddress", "address"), ("agentName", "string"), ("nonce", "uint64")];

    public static IReadOnlyList<(string Name, string Type)> ApproveBuilderFeeTypes { get; } =
        [("hyperliquidChain", "string"), ("maxFeeRate", "string"), ("builder", "address"), ("nonce", "uint64")];

    /// <summary>
    /// Action "type" values that are user-signed (EIP-712 over their own fields) rather than L1 actions, as the
    /// SDK's exchange.py sends them. Not exhaustive: the venue may add more.
    /// </summary>
    public static IReadOnlySet<string> KnownTypes { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "usdSend", "spotSend", "withdraw3", "usdClassTransfer", "sendAsset", "approveAgent", "approveBuilderFee",
        "tokenDelegate", "convertToMultiSigUser",
    };

    /// <summary>
    /// Sets <c>signatureChainId</c> = "0x66eee" and <c>hyperliquidChain</c> = "Mainnet" | "Testnet" on the action,
    /// as the SDK does before signing; hyperliquidChain is what stops a testnet signature being replayed on mainnet.
    /// </summary>
    public static JsonObject Prepare(JsonObject action, bool isMainnet)
    {
        ArgumentNullException.ThrowIfNull(action);
        action["signatureChainId"] = SignatureChainIdHex;
        action["hyperliquidChain"] = isMainnet ? "Mainnet" : "Testnet";
        return action;
    }
}
