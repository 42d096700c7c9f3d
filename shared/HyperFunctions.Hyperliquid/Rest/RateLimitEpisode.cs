namespace HyperFunctions.Hyperliquid.Rest;

/// <summary>
/// One rate-limit episode: from the first HTTP 429 until a venue answer arrives with no 429 for the
/// configured quiet period. <see cref="End"/> is null while it lasts.
/// </summary>
/// <param name="Id">Sequence number of the episode in this process.</param>
/// <param name="Start">Time of the first 429.</param>
/// <param name="End">Time the episode was declared over.</param>
/// <param name="LastRateLimitedAt">Time of the latest 429.</param>
/// <param name="Count">Number of 429 answers.</param>
/// <param name="Weight">Weight of the requests answered 429.</param>
/// <param name="LastRetryAfter">The latest Retry-After the venue gave, if any.</param>
public sealed record RateLimitEpisode(
    long Id,
    DateTimeOffset Start,
    DateTimeOffset? End,
    DateTimeOffset LastRateLimitedAt,
    int Count,
    int Weight,
    TimeSpan? LastRetryAfter)
{
    /// <summary>Cuts of the weight budget during the episode (one per 429 signal; a run of 429s with no answer between them is one).</summary>
    public int BudgetCuts { get; init; }

    /// <summary>The lowest effective weight budget per minute during the episode.</summary>
    public int LowestBudget { get; init; }

    /// <summary>Duration so far (or total once ended).</summary>
    public TimeSpan Duration(DateTimeOffset now) => (End ?? now) - Start;
}

/// <summary>Receives rate-limit episodes (register implementations in DI).</summary>
public interface IRateLimitObserver
{
    /// <summary>The first 429 of a new episode arrived.</summary>
    void OnEpisodeStarted(RateLimitEpisode episode);

    /// <summary>The episode is over.</summary>
    void OnEpisodeEnded(RateLimitEpisode episode);
}

/// <summary>Point-in-time view of REST rate limiting.</summary>
/// <param name="Current">The open episode, if any.</param>
/// <param name="Recent">The last ended episodes, newest last (bounded).</param>
/// <param name="TotalRateLimited">All 429 answers seen.</param>
/// <param name="EffectiveBudget">Weight budget per minute in force now (lowered after 429s).</param>
/// <param name="UsedWeight">Weight spent in the last minute.</param>
/// <param name="BlockedUntil">Requests pause until then after a 429 (null when not paused).</param>
/// <param name="LocalWaits">Requests that waited for budget.</param>
/// <param name="LocalRejections">Requests refused locally because budget would not free in time.</param>
public sealed record RateLimitSnapshot(
    RateLimitEpisode? Current,
    IReadOnlyList<RateLimitEpisode> Recent,
    long TotalRateLimited,
    int EffectiveBudget,
    int UsedWeight,
    DateTimeOffset? BlockedUntil,
    long LocalWaits,
    long LocalRejections)
{
    /// <summary>Episodes started in this process (the current one included).</summary>
    public long EpisodesStarted { get; init; }

    /// <summary>The weight budget in full (floor, nominal, cuts, penalty end); set by <see cref="RateLimitMonitor.Snapshot"/>.</summary>
    public WeightBudgetState? Budget { get; init; }
}
