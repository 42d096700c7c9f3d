namespace HyperFunctions.Signing.Tests;

internal static class TestKeys
{
    /// <summary>The key used throughout the official Python SDK's tests/signing_test.py.</summary>
    public const string SdkTestKey = "0x0123456789012345678901234567890123456789012345678901234567890123";

    /// <summary>The SDK prints r/s without leading zero nibbles; this pads them to the 64-digit form we emit.</summary>
    public static string Pad32(string hex) => "0x" + hex[2..].PadLeft(64, '0');
}
