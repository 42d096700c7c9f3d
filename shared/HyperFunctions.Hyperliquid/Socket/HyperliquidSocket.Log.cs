using Microsoft.Extensions.Logging;

namespace HyperFunctions.Hyperliquid.Socket;

/// <summary>Structured log messages of the keeper (no payloads, no user addresses).</summary>
public sealed partial class HyperliquidSocket
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Hyperliquid WS attempt {Attempt}: connecting to {Uri}")]
    private partial void LogConnecting(long attempt, Uri uri);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hyperliquid WS attempt {Attempt}: data flowing after {ConnectTime}")]
    private partial void LogDataFlowing(long attempt, TimeSpan connectTime);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hyperliquid WS attempt {Attempt}: ended as {DisconnectKind} ({Detail})")]
    private partial void LogDisconnected(long attempt, DisconnectKind disconnectKind, string? detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hyperliquid WS retry {Retry} in {Delay}")]
    private partial void LogRetryScheduled(int retry, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Hyperliquid WS circuit opened after {Failures} consecutive failures; cool-off {CoolOff}")]
    private partial void LogCircuitOpened(int failures, TimeSpan coolOff);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hyperliquid WS circuit open; next trial in {CoolOff}")]
    private partial void LogCircuitOpen(TimeSpan coolOff);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hyperliquid WS attempt {Attempt}: silent for {MessageTimeout}")]
    private partial void LogSilent(long attempt, TimeSpan messageTimeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hyperliquid WS attempt {Attempt}: corrupt frame of {Length} bytes starting {Preview}")]
    private partial void LogCorruptFrame(long attempt, int length, string preview);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Hyperliquid WS attempt {Attempt}: close frame not sent ({Reason})")]
    private partial void LogCloseFailed(long attempt, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Hyperliquid WS keeper loop crashed")]
    private partial void LogKeeperCrashed(Exception exception);
}
