using HyperFunctions.Domain.Safety;
using HyperFunctions.Hyperliquid.Configuration;

namespace HyperFunctions.Configuration;

/// <summary>
/// The non-secret settings, bound from the settings file plus environment overrides (Section__Key).
/// Everything here is covered by the config hash; secrets live in <see cref="HyperFunctionsSecrets"/>.
/// </summary>
public sealed class HyperFunctionsSettings
{
    public DeploymentSettings Deployment { get; set; } = new();
    public StorageSettings Storage { get; set; } = new();
    public SafetySettings Safety { get; set; } = new();
    public ApiSettings Api { get; set; } = new();
    public HostingSettings Hosting { get; set; } = new();
    public KeeperSettings Keeper { get; set; } = new();
    public ChecksSettings Checks { get; set; } = new();
    public ReconciliationSettings Reconciliation { get; set; } = new();
    public ServiceHealthSettings ServiceHealth { get; set; } = new();
    public AlertSettings Alerts { get; set; } = new();
    public ExecutionSettings Execution { get; set; } = new();
    public CopyTradingSettings CopyTrading { get; set; } = new();
    public FailoverSettings Failover { get; set; } = new();

    /// <summary>Venue endpoints and client settings; null when the section is absent (nothing talks to the venue yet).</summary>
    public HyperliquidOptions? Hyperliquid { get; set; }
}

public enum DeploymentMode
{
    /// <summary>Development defaults allowed (Azurite).</summary>
    Local,
    /// <summary>Every secret must be given explicitly.</summary>
    Live,
}

public sealed class DeploymentSettings
{
    public DeploymentMode Mode { get; set; } = DeploymentMode.Local;
    public string InstanceId { get; set; } = "default";
}

public sealed class StorageSettings
{
    public string? AccountName { get; set; }
    public string LedgerTable { get; set; } = "SafetyLedger";
    public string LeaseContainer { get; set; } = "hf-leases";
    public string ProcessTable { get; set; } = "HfProcesses";
    public int OperationTimeoutSeconds { get; set; } = 5;
    public int ProbeIntervalSeconds { get; set; } = 5;
}

public sealed class SafetySettings
{
    public string StartMode { get; set; } = "ARMED_SAFE";

    /// <summary>Must be true (with Deployment:Mode=Live) for StartMode ARMED_LIVE to be accepted.</summary>
    public bool AllowStartLive { get; set; }

    /// <summary>Reason (wire name) → seconds healthy before HALT lifts to ARMED_SAFE. Null means the built-in defaults.</summary>
    public Dictionary<string, int>? AutoRecoverFromHalt { get; set; }

    /// <summary>Reason (wire name) → seconds healthy before ARMED_SAFE returns to ARMED_LIVE. Null means the built-in defaults.</summary>
    public Dictionary<string, int>? SelfClearing { get; set; }

    [System.Text.Json.Serialization.JsonIgnore]
    public SafetyMode ParsedStartMode => Domain.WireNames<SafetyMode>.Parse(StartMode);
}

public sealed class ApiSettings
{
    public int MaxHistoryPageSize { get; set; } = 500;

    /// <summary>GET /api/status lists the processes seen within this many seconds.</summary>
    public int ProcessWindowSeconds { get; set; } = 300;
}

public sealed class HostingSettings
{
    public bool RunTimers { get; set; } = true;
    public bool RunQueues { get; set; } = true;
    public int TimerLeaseSeconds { get; set; } = 30;

    /// <summary>Self-host mode: run the stream keeper in this process (needs the Hyperliquid section).</summary>
    public bool RunKeeper { get; set; }
}

/// <summary>The stream keeper (docs/keeper.md). Defaults follow the operating procedures.</summary>
public sealed class KeeperSettings
{
    /// <summary>Coins to keep; null means BTC and ETH. (Null, not a default list: the binder appends to a list it finds.)</summary>
    public List<string>? Coins { get; set; }

    /// <summary>Accounts whose fills and order updates are kept (0x + 40 hex); null means none.</summary>
    public List<string>? Accounts { get; set; }

    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string> EffectiveCoins => Coins is { Count: > 0 } c ? c : ["BTC", "ETH"];

    /// <summary>The followed accounts, lower-cased as the venue prints them.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string> EffectiveAccounts => (Accounts ?? []).Select(a => a.ToLowerInvariant()).Distinct().ToList();

    public int HeartbeatIntervalSeconds { get; set; } = 2;
    public int SnapshotIntervalSeconds { get; set; } = 1;
    public int FallbackAfterFailures { get; set; } = 5;
    public int RestPollIntervalSeconds { get; set; } = 2;
    public int HandBackAfterSeconds { get; set; } = 30;
    public int BackfillWindowSeconds { get; set; } = 3600;
    public int BackfillPageSize { get; set; } = 2000;
    public bool MaintenanceSkipGap { get; set; }
    public int LeaseSeconds { get; set; } = 15;
    public string TablePrefix { get; set; } = "Hf";
}

/// <summary>The timer checks (docs/checks.md). Defaults follow the operating procedures.</summary>
public sealed class ChecksSettings
{
    public int TimeoutSeconds { get; set; } = 10;
    public string ResultsTable { get; set; } = "HfCheckResults";
    public HeartbeatCheckSettings Heartbeat { get; set; } = new();
    public StalenessCheckSettings Staleness { get; set; } = new();
    public FundingCheckSettings Funding { get; set; } = new();
    public ErrorRateCheckSettings ErrorRate { get; set; } = new();
}

public sealed class HeartbeatCheckSettings
{
    public int MaxDataSilenceSeconds { get; set; } = 30;
    public int MaxKeeperHeartbeatAgeSeconds { get; set; } = 30;
}

public sealed class StalenessCheckSettings
{
    public int MaxBookAgeSeconds { get; set; } = 30;
    public string? BackupRestUrl { get; set; }
}

public sealed class FundingCheckSettings
{
    public int MaxAgeSeconds { get; set; } = 3600;
    public double ReductionFactor { get; set; } = 0.5;
}

public sealed class ErrorRateCheckSettings
{
    public int WindowSeconds { get; set; } = 300;
    public double MaxErrorRatio { get; set; } = 0.05;
    public int MinRequests { get; set; } = 20;
    public int RateLimitedAfterSeconds { get; set; } = 60;
}

/// <summary>What ReconciliationCheck does with a confirmed drift (docs/checks.md).</summary>
public enum ReconciliationMode
{
    /// <summary>Wait for an operator: POST /api/reconciliation/{id}/accept adopts a report's venue sizes.</summary>
    Manual,
    /// <summary>Adopt the venue as truth on a confirmed DRIFT (never CRITICAL), with an audit record; the condition is still raised for that run.</summary>
    Auto,
}

/// <summary>ReconciliationCheck: venue positions against the local book (baseline + the keeper's fills).</summary>
public sealed class ReconciliationSettings
{
    public ReconciliationMode Mode { get; set; } = ReconciliationMode.Manual;

    /// <summary>Relative drift above this (and above <see cref="MinAbsoluteDrift"/>) is RECONCILE_DRIFT (0.001 = 0.1 %).</summary>
    public decimal DriftRatio { get; set; } = 0.001m;

    /// <summary>An absolute size difference at or below this is no difference (every level).</summary>
    public decimal MinAbsoluteDrift { get; set; }

    /// <summary>Relative drift above this, or a symbol held on one side only, is RECONCILE_CRITICAL.</summary>
    public decimal CriticalRatio { get; set; } = 0.05m;

    /// <summary>Consecutive runs a difference must be seen on before it counts (1 = at once): the settling rule for fills in flight.</summary>
    public int ConfirmRuns { get; set; } = 2;

    /// <summary>The account reconciled; null: the first of Keeper:Accounts (the own account).</summary>
    public string? Account { get; set; }

    /// <summary>Table holding the baseline, the audit records and the reports.</summary>
    public string Table { get; set; } = "HfReconciliation";

    /// <summary>The account reconciled, lower case, or null when none is configured.</summary>
    public string? EffectiveAccount(KeeperSettings keeper) =>
        (Account ?? keeper?.EffectiveAccounts.FirstOrDefault())?.ToLowerInvariant();
}

/// <summary>
/// The ServiceHealthCheck's probes (docs/checks.md): each runs on its own interval in every process of the
/// function app; the failover procedure (Failover, later) acts on the critical ones.
/// </summary>
public sealed class ServiceHealthSettings
{
    /// <summary>False: no probe runs in this process (the list is still validated); GET /api/health/checks shows none.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The probes; null means none. (Null, not an empty default list: the binder appends to a list it finds.)</summary>
    public List<ServiceProbeSettings>? Checks { get; set; }

    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<ServiceProbeSettings> EffectiveChecks => Checks ?? [];
}

/// <summary>One probe. Which target fields apply depends on <see cref="Type"/>; the loader checks them.</summary>
public sealed class ServiceProbeSettings
{
    /// <summary>Unique among the probes; shown in status, the metric label and the alert key.</summary>
    public string? Name { get; set; }

    /// <summary><c>http</c>, <c>tcp</c>, <c>table</c> or <c>process</c>.</summary>
    public string? Type { get; set; }

    /// <summary>http: the absolute http(s) URL.</summary>
    public string? Url { get; set; }

    /// <summary>http: GET (default), HEAD or POST.</summary>
    public string? Method { get; set; }

    /// <summary>http: a JSON body to send with POST (e.g. the venue's <c>{"type":"meta"}</c>).</summary>
    public string? Body { get; set; }

    /// <summary>http: the status code that counts as healthy.</summary>
    public int ExpectedStatus { get; set; } = 200;

    /// <summary>http: text the response body must contain (ordinal); null: any body.</summary>
    public string? BodyContains { get; set; }

    /// <summary>tcp: host name or address.</summary>
    public string? Host { get; set; }

    /// <summary>tcp: port; 0 means not set. (Not <c>int?</c>: the binder would ignore a malformed override of a nullable.)</summary>
    public int Port { get; set; }

    /// <summary>table: the table to query; null means the ledger table (Storage:LedgerTable).</summary>
    public string? Table { get; set; }

    /// <summary>process: a process name as the OS lists it (at least one must run on this machine).</summary>
    public string? ProcessName { get; set; }

    /// <summary>process: the stream keeper's /health URL (200 = alive), instead of a process name.</summary>
    public string? KeeperHealthUrl { get; set; }

    public int IntervalSeconds { get; set; } = 10;
    public int TimeoutSeconds { get; set; } = 5;

    /// <summary>Consecutive failures before the probe counts as unhealthy; one success makes it healthy again.</summary>
    public int FailureThreshold { get; set; } = 3;

    /// <summary>An unhealthy critical probe makes the service health UNHEALTHY (automatic failover acts on it).</summary>
    public bool Critical { get; set; }

    /// <summary>The failover site the probe belongs to (Failover:Sites); null: the site this process runs.</summary>
    public string? Site { get; set; }
}

/// <summary>Execution of order intents (docs/execution.md).</summary>
public sealed class ExecutionSettings
{
    /// <summary>live: the adapter sends; dry-run: gate and limits are judged, nothing is sent, results are DRY_RUN; backfill-only: nothing is placed and no intent is created from fills.</summary>
    public string Mode { get; set; } = "live";

    /// <summary>Hyperliquid (signed /exchange orders) or Paper (fills at the keeper's book, sends nothing). Any other name HALTs the instance at start (EXECUTION_ADAPTER_NOT_IMPLEMENTED).</summary>
    public string Adapter { get; set; } = "Hyperliquid";

    /// <summary>Largest notional (size × limit price, or × mid for market orders) of one order; null: no limit.</summary>
    public decimal? MaxNotional { get; set; }

    /// <summary>Largest absolute position per coin an order may leave; null: no limit. Orders that reduce are never blocked by it.</summary>
    public decimal? MaxPositionPerCoin { get; set; }

    /// <summary>Table holding order intents, their results and every state change.</summary>
    public string Table { get; set; } = "HfOrders";

    /// <summary>
    /// An intent not sent within this many seconds of its submission is never sent (BLOCKED INTENT_EXPIRED): a backlog
    /// after an outage must not become late orders. 0: no limit.
    /// </summary>
    public int MaxIntentAgeSeconds { get; set; } = 300;

    /// <summary>The kill switch (POST /api/safety/halt with cancelAll): HALT, cancel all open orders, arm scheduleCancel.</summary>
    public KillSwitchSettings KillSwitch { get; set; } = new();

    /// <summary>How long and how often one intent may be tried (sends, rate-limited sends, look-ups by cloid) before a person must look.</summary>
    public RetryBudgetSettings RetryBudget { get; set; } = new();

    /// <summary>Where an exhausted retry budget puts the ledger (EXECUTION_RETRY_BUDGET_EXCEEDED): halt (default) or safe (ARMED_SAFE).</summary>
    public string RetryBudgetMode { get; set; } = "halt";

    /// <summary>The ResolveUnknownOrders timer: when a SENDING row counts as abandoned, and how long the venue may not know a cloid before the intent is judged again.</summary>
    public UnknownResolutionSettings Resolution { get; set; } = new();

    /// <summary>Backoff of an intent whose send was rate limited (429): it comes back as a visibility-delayed message.</summary>
    public RateLimitBackoffSettings RateLimitBackoff { get; set; } = new();

    /// <summary>The RefreshRestingOrders timer: venue-side fills and cancels of RESTING/ACCEPTED intents written back.</summary>
    public RestingRefreshSettings RestingRefresh { get; set; } = new();
}

public sealed class RestingRefreshSettings
{
    /// <summary>Intents asked about per run (one orderStatus each, weight 2); more are taken round-robin by the next runs.</summary>
    public int MaxPerRun { get; set; } = 50;
}

public sealed class RetryBudgetSettings
{
    /// <summary>Seconds from the first attempt within which the intent must reach a known result.</summary>
    public int WindowSeconds { get; set; } = 300;

    /// <summary>Attempts (sends, rate-limited sends, look-ups by cloid) the intent may use.</summary>
    public int MaxAttempts { get; set; } = 20;
}

public sealed class UnknownResolutionSettings
{
    /// <summary>A SENDING row older than this is treated like UNKNOWN: the process sending it may have died.</summary>
    public int StaleSendingSeconds { get; set; } = 60;

    /// <summary>
    /// A RECEIVED row unchanged for longer than this lost its message (e.g. every delivery died and it went to the
    /// poison queue): the intent is queued again. Longer than a processing lease (5 min) plus the longest rate-limit backoff.
    /// </summary>
    public int StaleReceivedSeconds { get; set; } = 600;

    /// <summary>How long after the send the venue may not know the cloid before the intent is queued again and judged anew.</summary>
    public int NotFoundGraceSeconds { get; set; } = 30;
}

public sealed class RateLimitBackoffSettings
{
    /// <summary>Delay before the second attempt (doubled for each further attempt, with jitter).</summary>
    public int BaseSeconds { get; set; } = 2;

    /// <summary>Largest delay.</summary>
    public int MaxSeconds { get; set; } = 120;
}

public sealed class KillSwitchSettings
{
    /// <summary>
    /// Seconds from the kill switch to the time armed in the venue's scheduleCancel dead man's switch, which
    /// cancels every open order of the account then (anything an in-flight send placed after the cancel-all).
    /// The venue refuses a time less than 5 s ahead; 10 is the smallest allowed here, to leave room for latency.
    /// </summary>
    public int ScheduleCancelSeconds { get; set; } = 60;
}

/// <summary>Copy trading (docs/copy-trading.md): fills of a followed target account become scaled market intents of the own account.</summary>
public sealed class CopyTradingSettings
{
    /// <summary>False (default): the CopyTargetFills timer does nothing.</summary>
    public bool Enabled { get; set; }

    /// <summary>The followed account (0x + 40 hex); must be one of Keeper:Accounts and not the own account.</summary>
    public string? TargetAccount { get; set; }

    /// <summary>Mirrored size = target fill size × Ratio, rounded down to the coin's size decimals.</summary>
    public decimal Ratio { get; set; } = 1m;

    /// <summary>Mirrored orders are market IOC orders: the worst price as a fraction of the mid (like POST /api/orders' slippage).</summary>
    public decimal Slippage { get; set; } = 0.01m;

    /// <summary>Coin → caps; only the coins listed here are copied. Null means none (nothing is copied).</summary>
    public Dictionary<string, CopyCoinSettings>? Coins { get; set; }

    /// <summary>A batch runs at most this often (the timer ticks every second).</summary>
    public int PollIntervalSeconds { get; set; } = 2;

    /// <summary>At most this many target fills per batch (the rest wait for the next one).</summary>
    public int MaxFillsPerBatch { get; set; } = 100;

    /// <summary>The target, lower-cased as the venue prints addresses; null when not set.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? EffectiveTarget => TargetAccount?.ToLowerInvariant();
}

/// <summary>Caps of one copied coin; null means no cap of that kind.</summary>
public sealed class CopyCoinSettings
{
    /// <summary>Largest size of one mirrored order; a larger scaled size is cut to it.</summary>
    public decimal? MaxOrderSize { get; set; }

    /// <summary>Largest absolute position in the coin a mirrored order may lead to (venue position at the batch start + the batch's mirrored orders).</summary>
    public decimal? MaxPosition { get; set; }
}

/// <summary>Failover between a primary and a backup site (docs/failover.md). Without Sites the feature is off: every process is active.</summary>
public sealed class FailoverSettings
{
    /// <summary>The site this process runs on; one of <see cref="Sites"/>.</summary>
    public string? Site { get; set; }

    /// <summary>Exactly two sites, the primary first; null means failover is off. (Null, not an empty default list: the binder appends to a list it finds.)</summary>
    public List<FailoverSiteSettings>? Sites { get; set; }

    /// <summary>Automatic failover on a critical probe of the active site; null: on in Live, off in Local.</summary>
    public bool? Automatic { get; set; }

    public int CooldownSeconds { get; set; } = 300;
    public int DailyCap { get; set; } = 5;

    /// <summary>Holds the coordinator's state row (with the active site), the runs and their steps.</summary>
    public string Table { get; set; } = "HfFailover";

    /// <summary>How long the order gate trusts its last read of the active site before reading again.</summary>
    public int ActiveSiteCacheSeconds { get; set; } = 2;

    /// <summary>
    /// How long a process of the passive site hands an order intent it dequeued back to the queue (for the active
    /// site's processes, when the sites share one queue) before it records the intent BLOCKED with SITE_PASSIVE.
    /// 0 blocks at once.
    /// </summary>
    public int PassiveHandBackSeconds { get; set; } = 60;

    /// <summary>The ordered hook list both run kinds take their steps from; null means none (then no run can switch).</summary>
    public List<FailoverHookSettings>? Hooks { get; set; }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool Enabled => Sites is { Count: > 0 };

    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<FailoverSiteSettings> EffectiveSites => Sites ?? [];

    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<FailoverHookSettings> EffectiveHooks => (Hooks ?? []).Where(h => h.Enabled).ToList();

    public bool AutomaticIn(DeploymentMode mode) => Automatic ?? mode == DeploymentMode.Live;
}

public sealed class FailoverSiteSettings
{
    public string? Name { get; set; }

    /// <summary>What the site serves (URLs or host names), for plans and status.</summary>
    public List<string>? Endpoints { get; set; }

    /// <summary>ServiceHealth probe names that must be healthy for the site to become active.</summary>
    public List<string>? Checks { get; set; }
}

/// <summary>One hook. Which fields apply depends on <see cref="Kind"/>; <see cref="Settings"/> is for kinds the code registers.</summary>
public sealed class FailoverHookSettings
{
    public string? Name { get; set; }
    public string? Kind { get; set; }
    public bool Enabled { get; set; } = true;
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary><c>abortAndRollBack</c> (default) or <c>continue</c>.</summary>
    public string OnFailure { get; set; } = "abortAndRollBack";

    /// <summary><c>failover</c>, <c>failback</c>; null means both.</summary>
    public List<string>? Runs { get; set; }

    /// <summary>setSafetyMode: ARMED_SAFE (default) or HALT, raised with FAILOVER_IN_PROGRESS.</summary>
    public string? Mode { get; set; }

    /// <summary>http: the absolute http(s) URL to call; a 2xx answer is success.</summary>
    public string? Url { get; set; }

    /// <summary>http: POST (default), GET or PUT.</summary>
    public string? Method { get; set; }

    public Dictionary<string, string>? Settings { get; set; }
}
