namespace HyperFunctions.Hyperliquid.Signing;

/// <summary>
/// A private key string was missing or malformed. The message says what is wrong with it and never
/// contains the key or any part of it.
/// </summary>
public sealed class InvalidPrivateKeyException : ArgumentException
{
    public InvalidPrivateKeyException()
    {
    }

    public InvalidPrivateKeyException(string message)
        : base(message)
    {
    }

    public InvalidPrivateKeyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public InvalidPrivateKeyException(string message, string? paramName)
        : base(message, paramName)
    {
    }
}
