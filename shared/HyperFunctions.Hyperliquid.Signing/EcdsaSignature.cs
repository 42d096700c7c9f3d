namespace HyperFunctions.Hyperliquid.Signing;

/// <summary>
/// A secp256k1 signature as the venue's /exchange body carries it: <c>r</c> and <c>s</c> as 0x-prefixed,
/// 32-byte, lowercase hex; <c>v</c> = 27 + recovery id (27 or 28).
/// </summary>
/// <remarks>
/// The official Python SDK prints r/s without leading zero nibbles (e.g. 63 hex digits); both forms denote
/// the same integers. This type always emits the fixed 64-digit form and <see cref="Secp256k1"/> accepts both.
/// </remarks>
public readonly record struct EcdsaSignature(string R, string S, int V);
