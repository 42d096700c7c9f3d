using System.Net;

namespace HyperFunctions.Hyperliquid.Rest;

/// <summary>Base of every failure the Hyperliquid REST clients report.</summary>
public class HyperliquidException : Exception
{
    /// <summary>Creates the exception.</summary>
    public HyperliquidException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public HyperliquidException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public HyperliquidException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The venue answered with a non-success HTTP status (after any retries).</summary>
public class HyperliquidApiException : HyperliquidException
{
    /// <summary>Creates the exception.</summary>
    public HyperliquidApiException(HttpStatusCode statusCode, string endpoint, string? body)
        : base($"Hyperliquid {endpoint} answered HTTP {(int)statusCode}: {Truncate(body)}")
    {
        StatusCode = statusCode;
        Endpoint = endpoint;
        Body = body;
    }

    /// <summary>Creates the exception.</summary>
    public HyperliquidApiException()
    {
        Endpoint = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    public HyperliquidApiException(string message)
        : base(message)
    {
        Endpoint = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    public HyperliquidApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Endpoint = string.Empty;
    }

    /// <summary>HTTP status of the last answer.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>Request description, e.g. <c>info:l2Book</c>.</summary>
    public string Endpoint { get; }

    /// <summary>Start of the answer body, if any.</summary>
    public string? Body { get; }

    private static string Truncate(string? body) =>
        body is null ? "(no body)" : body.Length <= 200 ? body : string.Concat(body.AsSpan(0, 200), "…");
}

/// <summary>
/// The request was refused for rate limits: by the venue (HTTP 429 after the allowed retries) or
/// locally because the weight budget would not free up within <c>MaxBudgetWait</c>. Never reached
/// the venue's matching engine.
/// </summary>
public sealed class HyperliquidRateLimitedException : HyperliquidException
{
    /// <summary>Creates the exception.</summary>
    public HyperliquidRateLimitedException(string message, bool local, TimeSpan? retryAfter, Exception? inner = null)
        : base(message, inner ?? new InvalidOperationException(message))
    {
        Local = local;
        RetryAfter = retryAfter;
    }

    /// <summary>Creates the exception.</summary>
    public HyperliquidRateLimitedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public HyperliquidRateLimitedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public HyperliquidRateLimitedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>True when refused by the client-side budget, false when the venue answered 429.</summary>
    public bool Local { get; }

    /// <summary>Suggested wait, if known.</summary>
    public TimeSpan? RetryAfter { get; }
}

/// <summary>The venue could not be reached or answered too slowly (timeouts, open circuit, network).</summary>
public sealed class HyperliquidUnavailableException : HyperliquidException
{
    /// <summary>Creates the exception.</summary>
    public HyperliquidUnavailableException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public HyperliquidUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public HyperliquidUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// An <c>/exchange</c> POST may have reached the venue but no answer was read (timeout, connection lost
/// after sending, 5xx). It was NOT retried; reconcile by cloid (orderStatus) before acting again.
/// </summary>
public sealed class ExchangeOutcomeUnknownException : HyperliquidException
{
    /// <summary>Creates the exception.</summary>
    public ExchangeOutcomeUnknownException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public ExchangeOutcomeUnknownException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ExchangeOutcomeUnknownException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
