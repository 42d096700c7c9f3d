using HyperFunctions.Hyperliquid.Configuration;
using HyperFunctions.Hyperliquid.Policies;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyperFunctions.Hyperliquid.Rest;

/// <summary>
/// Turns 429 answers into observable episodes (events, <see cref="IRateLimitObserver"/>s, snapshot).
/// An episode starts at a 429 when none is open and ends at the first non-429 venue answer that comes
/// at least <c>RateLimitEpisodeQuietPeriod</c> after the last 429 (or when a snapshot is taken then).
/// One episode, one story in the log: a warning when it starts (with the budget it left), the 429s in
/// between counted and logged at Debug only, one line with the totals when it ends.
/// </summary>
public sealed partial class RateLimitMonitor
{
    private const int RecentCapacity = 32;
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly WeightBudgetGate _gate;
    private readonly IReadOnlyList<IRateLimitObserver> _observers;
    private readonly ILogger<RateLimitMonitor> _logger;
    private readonly TimeSpan _quiet;
    private readonly Queue<RateLimitEpisode> _recent = new();
    private RateLimitEpisode? _current;
    private long _nextId;
    private long _total;

    /// <summary>Creates the monitor.</summary>
    public RateLimitMonitor(
        IOptions<HyperliquidOptions> options,
        TimeProvider time,
        WeightBudgetGate gate,
        IEnumerable<IRateLimitObserver> observers,
        ILogger<RateLimitMonitor> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        _gate = gate;
        _observers = [.. observers];
        _logger = logger;
        _quiet = options.Value.Rest.RateLimitEpisodeQuietPeriod;
    }

    /// <summary>Rate-limit episodes started since the process began.</summary>
    public long EpisodesStarted
    {
        get
        {
            lock (_lock)
            {
                return _nextId;
            }
        }
    }

    /// <summary>Raised when an episode starts.</summary>
    public event EventHandler<RateLimitEpisode>? EpisodeStarted;

    /// <summary>Raised when an episode ends.</summary>
    public event EventHandler<RateLimitEpisode>? EpisodeEnded;

    /// <summary>Records a 429 answer to a request of the given weight.</summary>
    public void RecordRateLimited(string endpoint, int weight, TimeSpan? retryAfter) =>
        RecordRateLimited(endpoint, weight, retryAfter, null);

    /// <summary>Records a 429 answer to a request of the given weight, and the budget cut it caused, if any.</summary>
    public void RecordRateLimited(string endpoint, int weight, TimeSpan? retryAfter, BudgetCut? cut)
    {
        var now = _time.GetUtcNow();
        var budget = _gate.GetState();
        RateLimitEpisode? started = null;
        lock (_lock)
        {
            _total++;
            if (_current is null)
            {
                _current = new RateLimitEpisode(++_nextId, now, null, now, 1, weight, retryAfter)
                {
                    BudgetCuts = cut is null ? 0 : 1,
                    LowestBudget = budget.EffectiveBudget,
                };
                started = _current;
            }
            else
            {
                _current = _current with
                {
                    LastRateLimitedAt = now,
                    Count = _current.Count + 1,
                    Weight = _current.Weight + weight,
                    LastRetryAfter = retryAfter ?? _current.LastRetryAfter,
                    BudgetCuts = _current.BudgetCuts + (cut is null ? 0 : 1),
                    LowestBudget = Math.Min(_current.LowestBudget, budget.EffectiveBudget),
                };
            }
        }

        if (started is not null)
        {
            LogEpisodeStarted(started.Id, endpoint, retryAfter, budget.EffectiveBudget, budget.NominalBudget, budget.MinimumBudget, budget.BlockedUntil ?? now);
            Notify(started, ended: false);
        }
        else
        {
            LogRateLimited(endpoint, weight, retryAfter, cut?.To);
        }
    }

    /// <summary>Records a venue answer that was not a 429.</summary>
    public void RecordAnswered() => CloseIfQuiet(_time.GetUtcNow());

    /// <summary>The current view of rate limiting.</summary>
    public RateLimitSnapshot Snapshot()
    {
        CloseIfQuiet(_time.GetUtcNow());
        var budget = _gate.GetState();
        lock (_lock)
        {
            return new RateLimitSnapshot(_current, [.. _recent], _total, budget.EffectiveBudget, budget.UsedWeight, budget.BlockedUntil, budget.LocalWaits, budget.LocalRejections)
            {
                EpisodesStarted = _nextId,
                Budget = budget,
            };
        }
    }

    private void CloseIfQuiet(DateTimeOffset now)
    {
        RateLimitEpisode? ended = null;
        lock (_lock)
        {
            if (_current is not null && now - _current.LastRateLimitedAt >= _quiet)
            {
                ended = _current with { End = now };
                _current = null;
                _recent.Enqueue(ended);
                while (_recent.Count > RecentCapacity)
                {
                    _recent.Dequeue();
                }
            }
        }

        if (ended is not null)
        {
            var budget = _gate.GetState();
            LogEpisodeEnded(ended.Id, ended.Duration(now), ended.Count, ended.Weight, ended.BudgetCuts, ended.LowestBudget, budget.EffectiveBudget, budget.NominalBudget);
            Notify(ended, ended: true);
        }
    }

    private void Notify(RateLimitEpisode episode, bool ended)
    {
        foreach (var observer in _observers)
        {
            try
            {
                if (ended)
                {
                    observer.OnEpisodeEnded(episode);
                }
                else
                {
                    observer.OnEpisodeStarted(episode);
                }
            }
#pragma warning disable CA1031 // an observer's fault must not break the request path
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogObserverFailed(ex, observer.GetType().Name);
            }
        }

        (ended ? EpisodeEnded : EpisodeStarted)?.Invoke(this, episode);
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Hyperliquid rate-limit episode {EpisodeId} started: 429 on {Endpoint} (Retry-After {RetryAfter}); weight budget now {Budget} of {Nominal} per minute (floor {Floor}), requests paused until {PausedUntil:O}. Further 429s are counted, not logged, until it ends.")]
    private partial void LogEpisodeStarted(long episodeId, string endpoint, TimeSpan? retryAfter, int budget, int nominal, int floor, DateTimeOffset pausedUntil);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Information, Message = "Hyperliquid rate-limit episode {EpisodeId} ended after {Duration}: {Count} x 429 (weight {Weight}), budget cut {Cuts} time(s), lowest {Lowest} per minute, now {Budget} of {Nominal}")]
    private partial void LogEpisodeEnded(long episodeId, TimeSpan duration, int count, int weight, int cuts, int lowest, int budget, int nominal);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Debug, Message = "Hyperliquid 429 on {Endpoint} (weight {Weight}, Retry-After {RetryAfter}, budget cut to {CutTo})")]
    private partial void LogRateLimited(string endpoint, int weight, TimeSpan? retryAfter, int? cutTo);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Error, Message = "Rate-limit observer {Observer} failed")]
    private partial void LogObserverFailed(Exception exception, string observer);
}
