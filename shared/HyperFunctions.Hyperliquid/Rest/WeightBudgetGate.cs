using System.Threading.RateLimiting;
using HyperFunctions.Hyperliquid.Configuration;
using HyperFunctions.Hyperliquid.Policies;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyperFunctions.Hyperliquid.Rest;

/// <summary>
/// Thread-safe wrapper of the pure <see cref="WeightBudget"/> shared by the info and exchange clients
/// (the venue counts weight per IP). Waits run on the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed partial class WeightBudgetGate
{
    private readonly Lock _lock = new();
    private readonly WeightBudget _budget;
    private readonly TimeProvider _time;
    private readonly HyperliquidRestOptions _options;
    private readonly ILogger<WeightBudgetGate> _logger;
    private long _localWaits;
    private long _localRejections;

    /// <summary>Creates the gate.</summary>
    public WeightBudgetGate(IOptions<HyperliquidOptions> options, TimeProvider time, ILogger<WeightBudgetGate> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value.Rest;
        _time = time;
        _logger = logger;
        _budget = new WeightBudget(
            _options.WeightBudgetPerMinute,
            TimeSpan.FromMinutes(1),
            _options.RateLimitPenaltyFactor,
            _options.RateLimitPenaltyDuration,
            _options.MinimumWeightBudget);
    }

    /// <summary>Requests that had to wait for budget.</summary>
    public long LocalWaits => Interlocked.Read(ref _localWaits);

    /// <summary>Requests refused because budget would not free within <c>MaxBudgetWait</c>.</summary>
    public long LocalRejections => Interlocked.Read(ref _localRejections);

    /// <summary>Waits until <paramref name="weight"/> fits the budget; a lease that is not acquired means refused.</summary>
    public async ValueTask<RateLimitLease> AcquireAsync(int weight, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + _options.MaxBudgetWait;
        var waited = false;
        while (true)
        {
            TimeSpan wait;
            var now = _time.GetUtcNow();
            lock (_lock)
            {
                if (_budget.TryAcquire(now, weight, out wait))
                {
                    return WeightLease.Granted;
                }
            }

            if (now + wait > deadline)
            {
                Interlocked.Increment(ref _localRejections);
                LogRejected(weight, wait);
                return new WeightLease(false, wait);
            }

            if (!waited)
            {
                waited = true;
                Interlocked.Increment(ref _localWaits);
                LogWaiting(weight, wait);
            }

            await Task.Delay(wait, _time, cancellationToken);
        }
    }

    /// <summary>Charges weight learned after the fact (items returned).</summary>
    public void Charge(int weight)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            _budget.Charge(now, weight);
        }
    }

    /// <summary>Records a 429 from the venue: pause and lower the budget.</summary>
    public void OnRateLimited(TimeSpan? retryAfter)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            _budget.OnRateLimited(now, retryAfter, _options.RateLimitMinimumPause);
        }
    }

    /// <summary>Effective budget, used weight and pause end at this moment.</summary>
    public (int EffectiveBudget, int Used, DateTimeOffset? BlockedUntil) Snapshot()
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            var blocked = _budget.BlockedUntil > now ? _budget.BlockedUntil : (DateTimeOffset?)null;
            return (_budget.EffectiveCapacity(now), _budget.Used(now), blocked);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Hyperliquid weight budget: request of weight {Weight} waits {Wait}")]
    private partial void LogWaiting(int weight, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hyperliquid weight budget: request of weight {Weight} refused locally, budget frees in {Wait}")]
    private partial void LogRejected(int weight, TimeSpan wait);

    private sealed class WeightLease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static WeightLease Granted { get; } = new(true, null);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (retryAfter is { } ra && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = ra;
                return true;
            }

            metadata = null;
            return false;
        }
    }
}
