using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HyperFunctions.Hyperliquid.Signing;

/// <summary>
/// Signs and verifies Hyperliquid /exchange actions.
/// L1 actions (orders, cancels, scheduleCancel, …) are signed through a "phantom agent"; user-signed actions
/// (transfers, withdrawals, approveAgent, …) are signed as their own EIP-712 struct.
/// </summary>
public static class HyperliquidSigner
{
    public const string L1DomainName = "Exchange";
    public const string L1DomainVersion = "1";
    public const long L1ChainId = 1337;
    public const string UserSignedDomainName = "HyperliquidSignTransaction";
    public const string UserSignedDomainVersion = "1";

    private static readonly (string Name, string Type)[] AgentFields =
    [
        ("source", "string"),
        ("connectionId", "bytes32"),
    ];

    private static readonly byte[] L1Domain =
        Eip712.DomainSeparator(L1DomainName, L1DomainVersion, L1ChainId, EthereumAddress.Zero);

    /// <summary>Signs an L1 action. The key is validated before anything else is looked at.</summary>
    /// <exception cref="InvalidPrivateKeyException">The key is missing or malformed (the message never contains it).</exception>
    /// <exception cref="ArgumentException">The action, nonce, vault or expiry cannot be hashed.</exception>
    public static EcdsaSignature SignL1Action(
        string privateKeyHex, JsonObject action, long nonce, string? vaultAddress, bool isMainnet, long? expiresAfter = null)
    {
        var d = Secp256k1.ParsePrivateKey(privateKeyHex);
        var digest = L1SigningDigest(ActionHasher.ConnectionId(action, nonce, vaultAddress, expiresAfter), isMainnet);
        return Secp256k1.Sign(digest, d);
    }

    /// <summary>The address (0x, lowercase) that signed an L1 action: the API wallet (agent) or the user.</summary>
    public static string RecoverL1Signer(
        JsonObject action, long nonce, string? vaultAddress, bool isMainnet, EcdsaSignature signature, long? expiresAfter = null)
    {
        var digest = L1SigningDigest(ActionHasher.ConnectionId(action, nonce, vaultAddress, expiresAfter), isMainnet);
        return Secp256k1.RecoverAddress(digest, signature);
    }

    /// <summary>
    /// EIP-712 digest of the phantom agent {source: "a" mainnet / "b" testnet, connectionId} under the
    /// domain {"Exchange", "1", 1337, 0x0…0}.
    /// </summary>
    public static byte[] L1SigningDigest(ReadOnlySpan<byte> connectionId, bool isMainnet)
    {
        if (connectionId.Length != 32)
        {
            throw new ArgumentException("connectionId must be 32 bytes.", nameof(connectionId));
        }

        var agent = new JsonObject
        {
            ["source"] = isMainnet ? "a" : "b",
            ["connectionId"] = Hex.Encode(connectionId),
        };
        return Eip712.SigningDigest(L1Domain, Eip712.HashStruct("Agent", AgentFields, agent));
    }

    /// <summary>
    /// Signs a user-signed action over <paramref name="typedFields"/> (e.g. <see cref="UserSignedActions.UsdSendTypes"/>).
    /// The action must already carry <c>signatureChainId</c> (it selects the EIP-712 domain's chainId) and every
    /// typed field, including <c>hyperliquidChain</c>; <see cref="UserSignedActions.Prepare"/> sets both.
    /// </summary>
    /// <exception cref="InvalidPrivateKeyException">The key is missing or malformed (the message never contains it).</exception>
    /// <exception cref="ArgumentException">The action lacks a typed field or signatureChainId, or a value does not fit its type.</exception>
    public static EcdsaSignature SignUserAction(
        string privateKeyHex, JsonObject action, IReadOnlyList<(string Name, string Type)> typedFields, string primaryType)
    {
        var d = Secp256k1.ParsePrivateKey(privateKeyHex);
        return Secp256k1.Sign(UserActionSigningDigest(action, typedFields, primaryType), d);
    }

    /// <summary>The address (0x, lowercase) that signed a user-signed action.</summary>
    public static string RecoverUserActionSigner(
        JsonObject action, IReadOnlyList<(string Name, string Type)> typedFields, string primaryType, EcdsaSignature signature) =>
        Secp256k1.RecoverAddress(UserActionSigningDigest(action, typedFields, primaryType), signature);

    /// <summary>EIP-712 digest of a user-signed action under {"HyperliquidSignTransaction", "1", signatureChainId, 0x0…0}.</summary>
    public static byte[] UserActionSigningDigest(
        JsonObject action, IReadOnlyList<(string Name, string Type)> typedFields, string primaryType)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentException.ThrowIfNullOrEmpty(primaryType);
        var domain = Eip712.DomainSeparator(
            UserSignedDomainName, UserSignedDomainVersion, SignatureChainId(action), EthereumAddress.Zero);
        return Eip712.SigningDigest(domain, Eip712.HashStruct(primaryType, typedFields, action));
    }

    private static long SignatureChainId(JsonObject action)
    {
        // As in the SDK, the domain's chainId is whatever the action declares; the venue reads it from there too.
        if (action["signatureChainId"] is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            var text = value.GetValue<string>();
            if (Hex.HasPrefix(text) && text.Length is > 2 and <= 18 && Hex.IsHexDigits(text.AsSpan(2))
                && long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var chainId)
                && chainId > 0)
            {
                return chainId;
            }
        }

        throw new ArgumentException(
            "A user-signed action must carry \"signatureChainId\" as a 0x-hex chain id (e.g. \"0x66eee\"); see UserSignedActions.Prepare.",
            nameof(action));
    }
}
