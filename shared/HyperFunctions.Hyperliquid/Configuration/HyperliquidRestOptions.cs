namespace HyperFunctions.Hyperliquid.Configuration;

/// <summary>Section <c>Hyperliquid:Rest</c>.</summary>
public sealed class HyperliquidRestOptions
{
    /// <summary>Timeout of one HTTP attempt.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Timeout of one info call including retries and waits.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries of an info request after a transient fault or 429.</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Base delay of the exponential retry backoff (jittered).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Upper bound of a retry delay.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout of one <c>/exchange</c> POST; a timed-out order is reported as outcome unknown.</summary>
    public TimeSpan ExchangeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries of an <c>/exchange</c> POST, only after a 429 or a connect failure.</summary>
    public int ExchangeMaxRetryAttempts { get; set; } = 2;

    /// <summary>Client-side weight budget per minute, as the venue counts it per IP.</summary>
    public int WeightBudgetPerMinute { get; set; } = 1200;

    /// <summary>
    /// Multiplicative decrease: the effective budget is multiplied by this on a 429 signal. 429s that
    /// follow one another with no successful answer between them are one signal and cut once.
    /// </summary>
    public double RateLimitPenaltyFactor { get; set; } = 0.5;

    /// <summary>How long after the last 429 the full budget returns, whatever the additive increase reached.</summary>
    public TimeSpan RateLimitPenaltyDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The floor of the lowered budget. 300 (a quarter of the venue's 1200) leaves a REST polling
    /// fallback and a fill backfill room to work: l2Book for two coins every 2 s (120), metaAndAssetCtxs
    /// every 10 s (120) and userFillsByTime every 20 s (60). At most <see cref="WeightBudgetPerMinute"/>.
    /// </summary>
    public int MinimumWeightBudget { get; set; } = 300;

    /// <summary>
    /// Additive increase: weight added to a lowered budget for every successful answer to a request sent
    /// after the last cut, at most that request's weight (light requests cannot lift the budget faster
    /// than they spend it), up to <see cref="WeightBudgetPerMinute"/>. 0 leaves the recovery to
    /// <see cref="RateLimitPenaltyDuration"/> alone.
    /// </summary>
    public int RateLimitRecoveryStep { get; set; } = 10;

    /// <summary>Pause of all requests after a 429 without Retry-After.</summary>
    public TimeSpan RateLimitMinimumPause { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest a request waits for budget before failing locally as rate limited.</summary>
    public TimeSpan MaxBudgetWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Quiet time without a 429 after which a rate-limit episode is declared over.</summary>
    public TimeSpan RateLimitEpisodeQuietPeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Circuit breaker: failure ratio that opens it.</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Circuit breaker: minimum calls in the sampling window before it may open.</summary>
    public int BreakerMinimumThroughput { get; set; } = 10;

    /// <summary>Circuit breaker: sampling window.</summary>
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Circuit breaker: how long it stays open.</summary>
    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}
