using System.Diagnostics;
using System.Diagnostics.Metrics;
using HyperFunctions.Domain.Execution;
using HyperFunctions.Telemetry;

namespace HyperFunctions.Functions.Execution;

/// <summary>
/// What the background refresh read: approximate queue depth (null when the queue could not be read), intents UNKNOWN and
/// SENDING in storage, and intents in the resting index (RESTING, ACCEPTED: they may still be on the venue's book).
/// </summary>
public sealed record ExecutionStorageView(long? QueueDepth, int UnknownOpen, int SendingOpen, int BudgetExceededOpen, DateTimeOffset ReadAt, int RestingOpen = 0, int AcceptedOpen = 0);

/// <summary>The last pass of the resting-order refresh in this process: when it ran and what it did.</summary>
public sealed record RestingRefreshRun(DateTimeOffset At, RestingRefreshPass Pass);

/// <summary>The last result this process recorded.</summary>
public sealed record LastOrderResult(string Cloid, string Coin, string Status, string? Reason, DateTimeOffset At);

/// <summary>
/// This process's memory of execution, for GET /api/status (answered without storage) and metrics:
/// hf_orders_total{result}, hf_execution_in_flight, hf_execution_queue_depth and hf_execution_unknown_open (as the
/// background refresh last read them), hf_execution_retry_budget_exceeded_total, hf_execution_rate_limited_total,
/// hf_execution_unknown_resolved_total{result}, hf_execution_handed_back_total, hf_execution_expired_total.
/// </summary>
public sealed class ExecutionMonitor
{
    private readonly Counter<long> _orders;
    private readonly Counter<long> _budgetExceeded;
    private readonly Counter<long> _rateLimited;
    private readonly Counter<long> _resolved;
    private readonly Counter<long> _refreshed;
    private readonly Counter<long> _cancels;
    private readonly Counter<long> _handedBack;
    private readonly Counter<long> _expired;
    private long _handedBackCount;
    private RestingRefreshRun? _lastRefresh;
    private ExecutionStorageView? _storage;
    private readonly Lock _gate = new();
    private int _inFlight;
    private long _unknown;
    private LastOrderResult? _last;

    public ExecutionMonitor(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(HyperFunctionsDiagnostics.MeterName);
        _orders = meter.CreateCounter<long>("hf.orders", "{order}", "Order intent results recorded by this process, by result (ACCEPTED, RESTING, FILLED, REJECTED, UNKNOWN, DRY_RUN, BLOCKED).");
        meter.CreateObservableGauge("hf.execution.in_flight", () => Volatile.Read(ref _inFlight), "{intent}", "Order intents this process is executing now.");
        _budgetExceeded = meter.CreateCounter<long>("hf.execution.retry_budget_exceeded", "{intent}", "Intents whose retry budget ran out (EXECUTION_RETRY_BUDGET_EXCEEDED raised).");
        _rateLimited = meter.CreateCounter<long>("hf.execution.rate_limited", "{attempt}", "Attempts refused for rate limits (429) and queued again with a visibility delay.");
        _resolved = meter.CreateCounter<long>("hf.execution.unknown_resolved", "{intent}", "SENDING/UNKNOWN intents the resolution timer settled, by result (a venue status, or REQUEUED when the venue did not know the cloid).");
        meter.CreateObservableGauge("hf.execution.queue_depth", () => Storage is { QueueDepth: { } d } ? new[] { new Measurement<long>(d) } : [], "{message}", "Approximate messages on order-intents, as last read in the background.");
        _refreshed = meter.CreateCounter<long>("hf.execution.resting_refreshed", "{intent}", "RESTING/ACCEPTED intents whose venue status the resting-order refresh wrote back, by the result recorded (FILLED, CANCELED, REJECTED, RESTING after a partial fill, ACCEPTED).");
        _handedBack = meter.CreateCounter<long>("hf.execution.handed_back", "{delivery}", "Intents a process of the passive failover site dequeued and put back on the queue for the active site (Failover:PassiveHandBackSeconds).");
        _expired = meter.CreateCounter<long>("hf.execution.expired", "{intent}", "Intents refused because they were older than Execution:MaxIntentAgeSeconds when their turn came (INTENT_EXPIRED).");
        _cancels = meter.CreateCounter<long>("hf.execution.cancels", "{request}", "Single-order cancels (POST /api/orders/{cloid}/cancel) by result: cancelled, already_cancelled, or the refusal code.");
        meter.CreateObservableGauge("hf.execution.resting_open", () => Storage is { } v ? new[] { new Measurement<long>(v.RestingOpen + v.AcceptedOpen) } : [], "{intent}", "Intents RESTING or ACCEPTED in storage (the resting index, all processes), as last read in the background.");
        meter.CreateObservableGauge("hf.execution.unknown_open", () => Storage is { } v ? new[] { new Measurement<long>(v.UnknownOpen) } : [], "{intent}", "Intents UNKNOWN in storage (all processes), as last read in the background.");
    }

    /// <summary>What the background refresh last read from storage (queue depth, open intents); null before the first read.</summary>
    public ExecutionStorageView? Storage
    {
        get { lock (_gate) return _storage; }
        set
        {
            lock (_gate) _storage = value;
            if (value is not null) StorageRead?.Invoke(value);
        }
    }

    /// <summary>Raised after each background read of storage (tests wait on it instead of polling).</summary>
    public event Action<ExecutionStorageView>? StorageRead;

    /// <summary>Raised when a rate-limited attempt has been queued again: the cloid and the attempt number.</summary>
    public event Action<string, int>? RateLimitedRequeued;

    public void BudgetExceeded() => _budgetExceeded.Add(1);

    public void RateLimited(string cloid, int attempt)
    {
        _rateLimited.Add(1);
        RateLimitedRequeued?.Invoke(cloid, attempt);
    }

    /// <summary>Deliveries this process handed back to the queue because its failover site is passive.</summary>
    public long HandedBackCount => Interlocked.Read(ref _handedBackCount);

    public void HandedBack()
    {
        Interlocked.Increment(ref _handedBackCount);
        _handedBack.Add(1);
    }

    /// <summary>An intent refused for its age (INTENT_EXPIRED).</summary>
    public void Expired() => _expired.Add(1);

    public void Resolved(string result) => _resolved.Add(1, new TagList { { "result", result } });

    /// <summary>An intent's venue status written back by the resting-order refresh.</summary>
    public void Refreshed(string result) => _refreshed.Add(1, new TagList { { "result", result } });

    /// <summary>A single-order cancel answered with <paramref name="result"/> (cancelled, already_cancelled or a code).</summary>
    public void CancelRequested(string result) => _cancels.Add(1, new TagList { { "result", result } });

    /// <summary>The last resting-order refresh pass of this process; null before the first.</summary>
    public RestingRefreshRun? LastRestingRefresh { get { lock (_gate) return _lastRefresh; } }

    public void RestingRefreshDone(RestingRefreshRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        lock (_gate) _lastRefresh = run;
    }

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>UNKNOWN results this process recorded (whether resolved since or not; the open ones are in <see cref="Storage"/>).</summary>
    public long UnknownCount => Interlocked.Read(ref _unknown);

    public LastOrderResult? Last { get { lock (_gate) return _last; } }

    /// <summary>Raised after each recorded result (tests wait on it instead of polling).</summary>
    public event Action<LastOrderResult>? ResultRecorded;

    public IDisposable Begin()
    {
        Interlocked.Increment(ref _inFlight);
        return new Done(this);
    }

    public void Recorded(OrderIntent intent, OrderStatus status, string? reason, DateTimeOffset at)
    {
        if (status == OrderStatus.Unknown) Interlocked.Increment(ref _unknown);
        var last = new LastOrderResult(intent.Cloid, intent.Coin, status.ToWire(), reason, at);
        lock (_gate) _last = last;
        _orders.Add(1, new TagList { { "result", status.ToWire() } });
        ResultRecorded?.Invoke(last);
    }

    private sealed class Done(ExecutionMonitor monitor) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) Interlocked.Decrement(ref monitor._inFlight);
        }
    }
}
