using System.Text.Json.Serialization;
using HyperFunctions.Domain.Safety;
using HyperFunctions.Storage.Ledger;
using HyperFunctions.Storage.Processes;

namespace HyperFunctions.Functions.Http;

public sealed record StatusResponse(
    string InstanceId, string HostingMode, string ConfigHash, SafetyView Safety, StorageView Storage, ProcessesView Processes,
    StreamView Stream, IReadOnlyDictionary<string, MarketView> Markets, ChecksView Checks, AlertsView Alerts, ExecutionView Execution,
    CopyTradingView CopyTrading, FailoverStatusView Failover);

/// <summary>
/// Alerts as the status refresh last read them: open count in total and by level ("1".."4"), the highest open level,
/// and per configured channel the last delivery outcome (delivered, retrying, failed, skipped; null before any).
/// </summary>
public sealed record AlertsView(
    int Open, IReadOnlyDictionary<string, int> OpenByLevel, int? HighestOpenLevel, AlertChannelView[] Channels, DateTimeOffset? ReadAt, double? AgeSeconds);

/// <summary>One channel: never its URL or secret (a Slack webhook URL is one).</summary>
public sealed record AlertChannelView(string Name, string Kind, bool Enabled, string? LastOutcome, DateTimeOffset? LastAt, string? LastDetail, string? LastAlertKey);

/// <summary>GET /api/alerts: a list is null when the state filter left it out.</summary>
public sealed record AlertsResponse(AlertView[]? Open, AlertView[]? Recent);

public sealed record AlertView(
    string Key, string AlertId, string Status, int Level, string LevelName, int OpenedLevel, string Title, string Detail, string Source,
    DateTimeOffset OpenedAt, DateTimeOffset LevelSince, DateTimeOffset LastNotifiedAt, DateTimeOffset SignalAt, DateTimeOffset? ResolvedAt,
    long Notifications, string LastAction)
{
    public static AlertView Of(Domain.Alerts.AlertState a) =>
        new(a.Key, a.AlertId, a.Status.ToString().ToLowerInvariant(), (int)a.Level, HyperFunctions.Alerts.Channels.AlertWording.LevelName((int)a.Level), (int)a.OpenedLevel,
            a.Title, a.Detail, a.Source, a.OpenedAt, a.LevelSince, a.LastNotifiedAt, a.SignalAt, a.ResolvedAt, a.Notifications,
            Domain.WireNames<Domain.Alerts.AlertAction>.ToWire(a.LastAction));
}

/// <summary>
/// The venue connection as the stream keeper reports it. <see cref="From"/>: <c>in-process</c> (this process
/// runs the keeper and shows its memory), <c>storage</c> (the heartbeat row as last read by the refresher;
/// <see cref="HeartbeatAgeSeconds"/> says how old), or <c>none</c> (no heartbeat seen yet).
/// </summary>
public sealed record StreamView(
    string From, bool? Connected, string? Source, DateTimeOffset? LastMessageAt, double? AgeSeconds, long? Reconnects, string? Leader,
    DateTimeOffset? HeartbeatAt, double? HeartbeatAgeSeconds, bool? Ready, long? BadInputs, DateTimeOffset? ReadAt);

/// <summary>
/// One coin's facts: the venue's book time and when funding/mark/oracle last arrived, with ages.
/// <see cref="Stale"/>: the StalenessCheck's last finding for the coin (null before it has run);
/// <see cref="FundingStale"/>: the FundingDelayCheck's (the rate shown is then the last known one).
/// </summary>
public sealed record MarketView(
    decimal? Mid, decimal? BestBid, decimal? BestAsk, DateTimeOffset? BookAt, double? BookAgeSeconds,
    decimal? Funding, decimal? MarkPx, decimal? OraclePx, DateTimeOffset? FundingAt, double? FundingAgeSeconds, string Source,
    bool? Stale = null, bool? FundingStale = null);

/// <summary>The effective safety state; <see cref="LocalHold"/> is set when this process holds HALT on its own.</summary>
public sealed record SafetyView(
    string Mode, string Reason, string Message, DateTimeOffset Since, string? Actor, long? Version, string? ConfigHash,
    ConditionView[] Conditions, HoldView? LocalHold, GateView OrderGate)
{
    public static SafetyView From(EffectiveSafety e)
    {
        var gate = new GateView(
            Domain.Safety.OrderGate.Evaluate(e.Mode, new GateRequest(OrderAction.Place, false)).Admitted,
            Domain.Safety.OrderGate.Evaluate(e.Mode, new GateRequest(OrderAction.Place, true)).Admitted,
            Domain.Safety.OrderGate.Evaluate(e.Mode, new GateRequest(OrderAction.Cancel, false)).Admitted);
        return new SafetyView(
            e.Mode.ToWire(), e.Reason.ToWire(), e.Message, e.Since, e.Ledger?.Actor, e.Ledger?.Version, e.Ledger?.ConfigHash,
            e.Ledger?.Conditions.Select(c => new ConditionView(c.Reason.ToWire(), c.Level.ToWire(), c.RaisedAt)).ToArray() ?? [],
            e.Hold is { } h ? new HoldView(h.Reason.ToWire(), h.Since, h.Message) : null,
            gate);
    }
}

public sealed record ConditionView(string Reason, string Level, DateTimeOffset RaisedAt);

public sealed record HoldView(string Reason, DateTimeOffset Since, string Message);

/// <summary>What the order gate would admit right now.</summary>
public sealed record GateView(bool NewOrders, bool ReduceOnlyOrders, bool Cancels);

/// <summary>
/// Storage as this process sees it. <see cref="StateAgeSeconds"/>: how old the safety state shown is (null
/// before first contact); while <see cref="Usable"/> is false it is the last state read before the outage.
/// </summary>
public sealed record StorageView(
    bool Usable, DateTimeOffset? UsableSince, DateTimeOffset? UnusableSince, string? Problem, long FailedCalls, DateTimeOffset? StateReadAt, double? StateAgeSeconds)
{
    public static StorageView From(MemorySnapshot memory, DateTimeOffset now)
    {
        var hold = memory.Effective.Hold;
        var age = memory.ReadAt is { } at ? Math.Round(Math.Max(0, (now - at).TotalSeconds), 1) : (double?)null;
        return hold is null
            ? new StorageView(true, memory.UsableSince, null, null, 0, memory.ReadAt, age)
            : new StorageView(false, null, hold.Since, hold.Message, memory.FailedCalls, memory.ReadAt, age);
    }
}

/// <summary>The processes of this instance seen within Api:ProcessWindowSeconds, as of the last registry refresh.</summary>
public sealed record ProcessesView(DateTimeOffset? RefreshedAt, string? LedgerConfigHash, int Count, ProcessView[] Items)
{
    /// <param name="activeSite">The active site as this process last read it; null when failover is off (every process is active).</param>
    public static ProcessesView From(ProcessRegistry registry, string? ledgerConfigHash, DateTimeOffset now, string? activeSite = null)
    {
        var items = registry.Seen.Select(p => ProcessView.From(p, registry.Self, ledgerConfigHash, now, activeSite)).ToArray();
        return new ProcessesView(registry.RefreshedAt, ledgerConfigHash, items.Length, items);
    }
}

/// <param name="ConfigMatchesLedger">False for a process running another configuration than the ledger carries (e.g. mid rolling deploy).</param>
/// <param name="Site">The process's Failover:Site as it registered it (null when failover is off).</param>
/// <param name="Active">Whether the process's site is the active site (as this process last read the marker); true with failover off; null for a row without a site while failover is on.</param>
public sealed record ProcessView(
    string ProcessId, bool Self, string HostingMode, string MachineName, int Pid, string BuildVersion, string ConfigHash, bool? ConfigMatchesLedger,
    DateTimeOffset StartedAt, DateTimeOffset LastSeen, double LastSeenAgeSeconds, DateTimeOffset? StoppedAt, string? Site, bool? Active)
{
    public static ProcessView From(ProcessRecord p, ProcessIdentity self, string? ledgerConfigHash, DateTimeOffset now, string? activeSite = null) =>
        new(p.Identity.ProcessId, p.Identity.ProcessId == self.ProcessId, p.Identity.HostingMode, p.Identity.MachineName, p.Identity.Pid,
            p.Identity.BuildVersion, p.Identity.ConfigHash, ledgerConfigHash is null ? null : p.Identity.ConfigHash == ledgerConfigHash,
            p.Identity.StartedAt, p.LastSeen, Math.Round(Math.Max(0, (now - p.LastSeen).TotalSeconds), 1), p.StoppedAt,
            p.Identity.Site, ActiveOf(p.Identity.Site, activeSite));

    private static bool? ActiveOf(string? site, string? activeSite) =>
        activeSite is null ? true : site is null ? null : string.Equals(site, activeSite, StringComparison.OrdinalIgnoreCase);
}

public sealed record TransitionView(long Version, string? From, string To, string Reason, string Message, string Actor, DateTimeOffset At, string ConfigHash, string Kind)
{
    public static TransitionView Of(SafetyTransition t) =>
        new(t.Version, t.From?.ToWire(), t.To.ToWire(), t.Reason.ToWire(), t.Message, t.Actor, t.At, t.ConfigHash, t.Kind);
}

public sealed record HistoryResponse(TransitionView[] Items, long? NextBefore);

/// <summary>Answer to a state-changing command: "applied" with the new row, or "unchanged" with why.</summary>
public sealed record CommandResponse(string Result, string Mode, string Reason, long Version, string? Detail, TransitionView? Transition);

public sealed record HealthResponse(string Status, string HostingMode);

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(StatusResponse))]
[JsonSerializable(typeof(HistoryResponse))]
[JsonSerializable(typeof(CommandResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(CheckRunResponse))]
[JsonSerializable(typeof(ReconciliationReportView))]
[JsonSerializable(typeof(ReconciliationLatestResponse))]
[JsonSerializable(typeof(ReconciliationAcceptResponse))]
[JsonSerializable(typeof(AlertsResponse))]
[JsonSerializable(typeof(ServiceHealthView))]
[JsonSerializable(typeof(OrderAcceptedResponse))]
[JsonSerializable(typeof(OrderView))]
[JsonSerializable(typeof(OrderListResponse))]
[JsonSerializable(typeof(KillSwitchResponse))]
[JsonSerializable(typeof(CancelOrderResponse))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
