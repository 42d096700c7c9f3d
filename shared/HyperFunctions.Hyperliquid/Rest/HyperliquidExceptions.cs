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

    /// <summary>Creates the exception with every detail (for derived exceptions).</summary>
    protected HyperliquidApiException(string message, HttpStatusCode statusCode, string endpoint, string? body, Exception? innerException)
        : base(message, innerException!)
    {
        StatusCode = statusCode;
        Endpoint = endpoint;
        Body = body;
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
/// The venue answered with success but with a body this client cannot map to the answer's type (not JSON,
/// JSON of another shape, or <c>null</c>). <see cref="HyperliquidApiException.Body"/> holds the start of the
/// answer (at most <see cref="MaxBodyShown"/> characters), so a caller can show the offending bytes cut short.
/// </summary>
public sealed class HyperliquidBadAnswerException : HyperliquidApiException
{
    /// <summary>How much of the answer the exception keeps.</summary>
    public const int MaxBodyShown = 200;

    /// <summary>Creates the exception.</summary>
    public HyperliquidBadAnswerException(HttpStatusCode statusCode, string endpoint, string? body, string reason, Exception? innerException = null)
        : base($"Hyperliquid {endpoint} answered with a body of the wrong shape ({reason}): {Cut(body)}", statusCode, endpoint, Cut(body), innerException)
    {
    }

    private static string Cut(string? body) =>
        body is null ? "(no body)" : body.Length <= MaxBodyShown ? body : string.Concat(body.AsSpan(0, MaxBodyShown), $"… ({body.Length} chars)");
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
