using HyperFunctions.Hyperliquid.Signing;
using HyperFunctions.Simulator.Exchange;

namespace HyperFunctions.Simulator.Signing;

/// <summary>Recovers the address that signed an L1 action.</summary>
internal interface ISignerRecovery
{
    /// <summary>The signer (0x, lowercase).</summary>
    /// <exception cref="ArgumentException">The signature or the action cannot be processed.</exception>
    string Recover(ExchangeRequest request);
}

/// <summary>Recovery with the project's signing library, on the configured network.</summary>
internal sealed class L1SignerRecovery(bool isMainnet) : ISignerRecovery
{
    public string Recover(ExchangeRequest request) =>
        HyperliquidSigner.RecoverL1Signer(
            request.Action,
            request.Nonce,
            request.VaultAddress,
            isMainnet,
            new EcdsaSignature(request.R, request.S, request.V),
            request.ExpiresAfter);
}
