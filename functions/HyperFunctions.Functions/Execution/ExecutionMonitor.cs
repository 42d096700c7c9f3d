using System.Diagnostics;
using System.Diagnostics.Metrics;
using HyperFunctions.Domain.Execution;
using HyperFunctions.Telemetry;

namespace HyperFunctions.Functions.Execution;

/// <summary>The last result this process recorded.</summary>
public sealed record LastOrderResult(string Cloid, string Coin, string Status, string? Reason, DateTimeOffset At);

/// <summary>
/// This process's memory of execution, for GET /api/status (answered without storage) and metrics:
/// hf_orders_total{result} and hf_execution_in_flight.
/// </summary>
public sealed class ExecutionMonitor
{
    private readonly Counter<long> _orders;
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
    }

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>UNKNOWN results this process recorded (not yet resolved: the resolution timer is not built yet).</summary>
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
