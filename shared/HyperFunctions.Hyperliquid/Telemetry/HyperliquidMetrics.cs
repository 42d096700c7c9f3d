using System.Diagnostics.Metrics;
using HyperFunctions.Hyperliquid.Rest;
using HyperFunctions.Hyperliquid.Socket;

namespace HyperFunctions.Hyperliquid.Telemetry;

/// <summary>
/// The venue client's metrics on the project's Meter ("HyperFunctions", names in docs/observability.md).
/// REST: every attempt by request kind and status (counted by <see cref="VenueMetricsHandler"/>), 429s,
/// rate-limit episodes and the weight budget, read from <see cref="RateLimitMonitor"/> and
/// <see cref="WeightBudgetGate"/>. WebSocket: read from <see cref="HyperliquidSocket.GetStatistics"/> once
/// a socket is attached, so a process that never builds a socket reports no socket series.
/// </summary>
public sealed class HyperliquidMetrics
{
    public const string MeterName = "HyperFunctions";

    private static readonly string[] ChannelNames = BuildChannelNames();

    private readonly Meter _meter;
    private readonly TimeProvider _time;
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _requestDuration;
    private readonly Lock _lock = new();
    private HyperliquidSocket? _socket;

    public HyperliquidMetrics(IMeterFactory meters, WeightBudgetGate gate, RateLimitMonitor monitor, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(monitor);
        _meter = meters.Create(MeterName);
        _time = time;
        _requests = _meter.CreateCounter<long>("hf.venue.requests", "{request}",
            "Venue REST attempts (retries included) by request kind (info:<type>, exchange) and HTTP status (or error, timeout).");
        _requestDuration = _meter.CreateHistogram("hf.venue.request.duration", "s",
            "Duration of one venue REST attempt by request kind.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _meter.CreateObservableCounter("hf.venue.rate_limited", () => monitor.Snapshot().TotalRateLimited, "{response}",
            "HTTP 429 answers from the venue.");
        _meter.CreateObservableCounter("hf.venue.rate_limit.episodes", () => monitor.EpisodesStarted, "{episode}",
            "Rate-limit episodes started (a run of 429s until a quiet period passes).");
        _meter.CreateObservableGauge("hf.venue.rate_limit.active", () => monitor.Snapshot().Current is null ? 0 : 1, "{episode}",
            "1 while a rate-limit episode is open.");
        _meter.CreateObservableGauge("hf.venue.weight.used", () => gate.Snapshot().Used, "{weight}",
            "Request weight spent in the last minute, as the client-side budget counts it.");
        _meter.CreateObservableGauge("hf.venue.weight.capacity", () => gate.Snapshot().EffectiveBudget, "{weight}",
            "Effective weight budget per minute (lowered after a 429, full again after the penalty period).");
        _meter.CreateObservableCounter("hf.venue.budget.rejections", () => gate.LocalRejections, "{request}",
            "Requests refused locally because the budget would not free in time.");
    }

    internal void RequestCompleted(string kind, string status, TimeSpan duration)
    {
        var kindTag = new KeyValuePair<string, object?>("kind", kind);
        _requests.Add(1, kindTag, new KeyValuePair<string, object?>("status", status));
        _requestDuration.Record(duration.TotalSeconds, kindTag);
    }

    /// <summary>Reports <paramref name="socket"/>'s statistics from now on (one socket per process).</summary>
    public void ObserveSocket(HyperliquidSocket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        lock (_lock)
        {
            if (_socket is not null) throw new InvalidOperationException("HyperliquidMetrics already observes a socket; a process holds one.");
            _socket = socket;
        }
        _meter.CreateObservableGauge("hf.ws.connected", () => socket.GetStatistics().Connected ? 1 : 0, "{connection}",
            "1 while the WebSocket is connected.");
        _meter.CreateObservableGauge("hf.ws.last_message.age", () => LastMessageAge(socket), "s",
            "Seconds since the last WebSocket message of any kind (absent before the first).");
        _meter.CreateObservableCounter("hf.ws.disconnects", () => Disconnects(socket), "{disconnect}",
            "Ended connections and failed attempts by kind (each one is followed by a reconnect when auto-reconnect is on).");
        _meter.CreateObservableCounter("hf.ws.reconnects", () => socket.GetStatistics().ReconnectsTotal, "{reconnect}",
            "Connections restored after a loss (data flowing again).");
        _meter.CreateObservableCounter("hf.ws.messages", () => Messages(socket), "{message}",
            "WebSocket messages parsed, by channel.");
        _meter.CreateObservableCounter("hf.ws.events.dropped", () => socket.GetStatistics().EventsDropped, "{event}",
            "Events dropped because the consumer fell behind the bounded queue.");
    }

    private IEnumerable<Measurement<double>> LastMessageAge(HyperliquidSocket socket)
    {
        if (socket.GetStatistics().LastMessageAt is { } at)
            yield return new Measurement<double>(Math.Max(0, (_time.GetUtcNow() - at).TotalSeconds));
    }

    private static IEnumerable<Measurement<long>> Disconnects(HyperliquidSocket socket)
    {
        var stats = socket.GetStatistics();
        foreach (var kind in Enum.GetValues<DisconnectKind>())
            yield return new Measurement<long>(stats.DisconnectCount(kind), new KeyValuePair<string, object?>("kind", DisconnectKindName(kind)));
    }

    private static IEnumerable<Measurement<long>> Messages(HyperliquidSocket socket)
    {
        var counts = socket.MessageCountsByChannel();
        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] > 0) yield return new Measurement<long>(counts[i], new KeyValuePair<string, object?>("channel", ChannelNames[i]));
        }
    }

    /// <summary>Label value of a disconnect kind: snake_case of the enum name (bounded).</summary>
    internal static string DisconnectKindName(DisconnectKind kind) => kind switch
    {
        DisconnectKind.Closed => "closed",
        DisconnectKind.Goodbye => "goodbye",
        DisconnectKind.Lost => "lost",
        DisconnectKind.Reset => "reset",
        DisconnectKind.Timeout => "timeout",
        DisconnectKind.CorruptData => "corrupt_data",
        DisconnectKind.ConnectFailed => "connect_failed",
        _ => "other",
    };

    private static string[] BuildChannelNames()
    {
        var names = new string[Enum.GetValues<ChannelKind>().Length];
        foreach (var kind in Enum.GetValues<ChannelKind>())
        {
            names[(int)kind] = kind switch
            {
                ChannelKind.AllMids => "allMids",
                ChannelKind.L2Book => "l2Book",
                ChannelKind.Trades => "trades",
                ChannelKind.Bbo => "bbo",
                ChannelKind.Candle => "candle",
                ChannelKind.UserFills => "userFills",
                ChannelKind.OrderUpdates => "orderUpdates",
                ChannelKind.User => "user",
                ChannelKind.ActiveAssetCtx => "activeAssetCtx",
                ChannelKind.SubscriptionResponse => "subscriptionResponse",
                ChannelKind.Pong => "pong",
                ChannelKind.Error => "error",
                _ => "unknown",
            };
        }
        return names;
    }
}
