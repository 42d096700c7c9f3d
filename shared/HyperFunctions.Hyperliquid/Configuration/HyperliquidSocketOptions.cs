namespace HyperFunctions.Hyperliquid.Configuration;

/// <summary>Section <c>Hyperliquid:Socket</c>.</summary>
public sealed class HyperliquidSocketOptions
{
    /// <summary>Timeout of the WebSocket handshake.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Client ping interval; must stay below the venue's 60 s idle close.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(50);

    /// <summary>No message for this long while subscribed counts as a silent failure.</summary>
    public TimeSpan MessageTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether the keeper reconnects by itself.</summary>
    public bool AutoReconnect { get; set; } = true;

    /// <summary>Reconnect backoff: delay of the first delayed retry.</summary>
    public TimeSpan BackoffInitial { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Reconnect backoff: growth factor.</summary>
    public double BackoffMultiplier { get; set; } = 2.0;

    /// <summary>Reconnect backoff: largest delay.</summary>
    public TimeSpan BackoffMax { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Reconnect backoff: relative jitter (0.25 = ±25 %).</summary>
    public double BackoffJitter { get; set; } = 0.25;

    /// <summary>Reconnect backoff: whether the first retry after a disconnect is immediate.</summary>
    public bool BackoffFirstRetryImmediate { get; set; } = true;

    /// <summary>A session that delivered data for at least this long resets the backoff.</summary>
    public TimeSpan BackoffResetAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Consecutive failed attempts that open the circuit breaker.</summary>
    public int BreakerFailureThreshold { get; set; } = 5;

    /// <summary>How long the open breaker refuses attempts before one trial.</summary>
    public TimeSpan BreakerCoolOff { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>A venue-time jump larger than this between two l2Book/bbo messages counts as a gap.</summary>
    public TimeSpan GapThreshold { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Capacity of the event channel; when full the oldest event is dropped and counted.</summary>
    public int EventQueueCapacity { get; set; } = 65536;

    /// <summary>
    /// Run a waiting consumer's continuation inline on the receive loop (no thread hop per message;
    /// roughly doubles throughput on 2 cores) at the price of the consumer's work delaying the next
    /// receive. Keep false unless the consumer is cheap and never blocks.
    /// </summary>
    public bool InlineDelivery { get; set; }

    /// <summary>Largest accepted message in bytes; a larger frame counts as corrupt data.</summary>
    public int MaxMessageBytes { get; set; } = 16 * 1024 * 1024;
}
