using System.Threading.RateLimiting;
using HyperFunctions.Hyperliquid.Configuration;
using HyperFunctions.Hyperliquid.Policies;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyperFunctions.Hyperliquid.Rest;

/// <summary>
/// Thread-safe wrapper of the pure <see cref="WeightBudget"/> shared by the info and exchange clients
/// (the venue counts weight per IP). Waits run on the injected <see cref="TimeProvider"/>.
/// Local refusals are told as one story: the first of a run is a warning, the rest are counted
/// (<see cref="LocalRejections"/>) and logged at Debug until none came for <c>RateLimitEpisodeQuietPeriod</c>.
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
    private long _refusalEpisodes;
    private DateTimeOffset? _lastRefusalAt;

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
            _options.MinimumWeightBudget,
            _options.RateLimitRecoveryStep);
    }

    /// <summary>Requests that had to wait for budget.</summary>
    public long LocalWaits => Interlocked.Read(ref _localWaits);

    /// <summary>Requests refused because budget would not free within <c>MaxBudgetWait</c>.</summary>
    public long LocalRejections => Interlocked.Read(ref _localRejections);

    /// <summary>
    /// Cuts of the budget so far (429 signals acted on). Read it when a request is sent and pass it back
    /// with the answer (<see cref="OnRateLimited(TimeSpan?, long)"/>, <see cref="OnAnswered"/>).
    /// </summary>
    public long Cuts
    {
        get
        {
            lock (_lock)
            {
                return _budget.Cuts;
            }
        }
    }

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
                Refused(now, weight, wait);
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

    /// <summary>Records a 429 from the venue to a request sent now: pause and lower the budget.</summary>
    public void OnRateLimited(TimeSpan? retryAfter) => OnRateLimited(retryAfter, Cuts);

    /// <summary>
    /// Records a 429 to a request sent when <see cref="Cuts"/> was <paramref name="sentUnderCuts"/>: pause,
    /// and cut the budget once per signal. Returns the cut, or null when this 429 did not cut.
    /// </summary>
    public BudgetCut? OnRateLimited(TimeSpan? retryAfter, long sentUnderCuts)
    {
        var now = _time.GetUtcNow();
        BudgetCut? cut;
        lock (_lock)
        {
            cut = _budget.OnRateLimited(now, retryAfter, _options.RateLimitMinimumPause, sentUnderCuts);
        }

        if (cut is { } c)
        {
            LogCut(c.From, c.To);
        }

        return cut;
    }

    /// <summary>
    /// Records a successful venue answer (not 429, not 5xx) to a request of <paramref name="weight"/> sent
    /// when <see cref="Cuts"/> was <paramref name="sentUnderCuts"/>: raises a lowered budget step by step.
    /// </summary>
    public void OnAnswered(int weight, long sentUnderCuts)
    {
        var now = _time.GetUtcNow();
        bool full;
        lock (_lock)
        {
            var raised = _budget.OnAnswered(now, weight, sentUnderCuts);
            full = raised > 0 && _budget.EffectiveCapacity(now) == _budget.Capacity;
        }

        if (full)
        {
            LogRecovered(_budget.Capacity);
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

    /// <summary>Everything status and metrics need about the budget at this moment.</summary>
    public WeightBudgetState GetState()
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            return new WeightBudgetState(
                _budget.Capacity,
                _budget.EffectiveCapacity(now),
                _budget.MinimumCapacity,
                _budget.Used(now),
                _budget.BlockedUntil > now ? _budget.BlockedUntil : null,
                _budget.PenaltyUntil(now),
                _budget.Cuts,
                _budget.LastCutAt,
                LocalWaits,
                LocalRejections,
                _refusalEpisodes);
        }
    }

    private void Refused(DateTimeOffset now, int weight, TimeSpan wait)
    {
        Interlocked.Increment(ref _localRejections);
        bool first;
        int budget, used;
        lock (_lock)
        {
            first = _lastRefusalAt is not { } last || now - last >= _options.RateLimitEpisodeQuietPeriod;
            if (first)
            {
                _refusalEpisodes++;
            }

            _lastRefusalAt = now;
            budget = _budget.EffectiveCapacity(now);
            used = _budget.Used(now);
        }

        if (first)
        {
            LogRefusalsStarted(weight, used, budget, wait, _options.RateLimitEpisodeQuietPeriod);
        }
        else
        {
            LogRefused(weight, wait);
        }
    }

    [LoggerMessage(EventId = 1310, Level = LogLevel.Debug, Message = "Hyperliquid weight budget: request of weight {Weight} waits {Wait}")]
    private partial void LogWaiting(int weight, TimeSpan wait);

    [LoggerMessage(EventId = 1311, Level = LogLevel.Warning, Message = "Hyperliquid weight budget refused a request of weight {Weight} locally: {Used} of {Budget} per minute in use, room again in {Wait}. Further local refusals are counted, not logged, until none for {Quiet}.")]
    private partial void LogRefusalsStarted(int weight, int used, int budget, TimeSpan wait, TimeSpan quiet);

    [LoggerMessage(EventId = 1312, Level = LogLevel.Debug, Message = "Hyperliquid weight budget: request of weight {Weight} refused locally, budget frees in {Wait}")]
    private partial void LogRefused(int weight, TimeSpan wait);

    [LoggerMessage(EventId = 1313, Level = LogLevel.Debug, Message = "Hyperliquid weight budget cut from {From} to {To} per minute")]
    private partial void LogCut(int from, int to);

    [LoggerMessage(EventId = 1314, Level = LogLevel.Debug, Message = "Hyperliquid weight budget back to {Budget} per minute")]
    private partial void LogRecovered(int budget);

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

/// <summary>The weight budget at one moment: what status and metrics need.</summary>
/// <param name="NominalBudget">Configured weight per minute (<c>WeightBudgetPerMinute</c>).</param>
/// <param name="EffectiveBudget">Weight per minute in force now (lowered after 429s, rising again per answer).</param>
/// <param name="MinimumBudget">The floor a cut never goes below.</param>
/// <param name="UsedWeight">Weight spent in the last minute.</param>
/// <param name="BlockedUntil">Every request pauses until then after a 429 (null when not paused).</param>
/// <param name="PenaltyUntil">The nominal budget returns then at the latest (null when in force).</param>
/// <param name="Cuts">Cuts so far (429 signals acted on; a run of 429s with no answer between them is one).</param>
/// <param name="LastCutAt">Time of the latest cut.</param>
/// <param name="LocalWaits">Requests that waited for budget.</param>
/// <param name="LocalRejections">Requests refused locally because budget would not free in time.</param>
/// <param name="LocalRejectionEpisodes">Runs of local refusals (each logged once).</param>
public sealed record WeightBudgetState(
    int NominalBudget,
    int EffectiveBudget,
    int MinimumBudget,
    int UsedWeight,
    DateTimeOffset? BlockedUntil,
    DateTimeOffset? PenaltyUntil,
    long Cuts,
    DateTimeOffset? LastCutAt,
    long LocalWaits,
    long LocalRejections,
    long LocalRejectionEpisodes);
