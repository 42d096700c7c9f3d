using System.Diagnostics;
using System.Diagnostics.Metrics;
using HyperFunctions.Configuration;
using HyperFunctions.Domain.Alerts;
using HyperFunctions.Domain.Execution;
using HyperFunctions.Domain.Safety;
using HyperFunctions.Storage.Ledger;
using HyperFunctions.Telemetry;

namespace HyperFunctions.Functions.Execution;

/// <summary>Kill switch outcomes (the <c>outcome</c> tag of hf_kill_switch_total and the answer's <c>outcome</c>).</summary>
public static class KillSwitchOutcomes
{
    /// <summary>Every open order cancelled and scheduleCancel armed.</summary>
    public const string Complete = "complete";

    /// <summary>The cancel went out, but some order was not cancelled or scheduleCancel was not armed.</summary>
    public const string Incomplete = "incomplete";

    /// <summary>The cancel-all itself failed (venue unreachable, refused, no key): open orders may remain.</summary>
    public const string CancelFailed = "cancel_failed";

    public static string Of(CancelAllReport cancel, ScheduleCancelOutcome schedule) =>
        cancel.Failure is not null ? CancelFailed : cancel.Complete && schedule.Armed ? Complete : Incomplete;
}

/// <summary>One kill switch: what the ledger did, what the cancel-all did, what scheduleCancel did, how long it all took.</summary>
public sealed record KillSwitchRun(
    DateTimeOffset At, string Actor, string Outcome, LedgerResult Ledger, CancelAllReport Cancel, ScheduleCancelOutcome Schedule, TimeSpan Duration);

/// <summary>
/// This process's memory of the kill switch, for GET /api/status (never storage), and its metrics:
/// hf_kill_switch_total{outcome} and hf_orders_cancelled_total (every cancel-all, the kill switch's and failover's).
/// </summary>
public sealed class KillSwitchMonitor
{
    private readonly Counter<long> _runs;
    private readonly Counter<long> _cancelled;
    private readonly Lock _gate = new();
    private KillSwitchRun? _last;

    public KillSwitchMonitor(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(HyperFunctionsDiagnostics.MeterName);
        _runs = meter.CreateCounter<long>("hf.kill_switch", "{run}", "Kill switches engaged by this process, by outcome (complete, incomplete, cancel_failed).");
        _cancelled = meter.CreateCounter<long>("hf.orders.cancelled", "{order}", "Open orders the venue cancelled in a cancel-all of this process (kill switch, failover).");
    }

    public KillSwitchRun? Last { get { lock (_gate) return _last; } }

    public void OrdersCancelled(int count)
    {
        if (count > 0) _cancelled.Add(count);
    }

    public void Engaged(KillSwitchRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        lock (_gate) _last = run;
        _runs.Add(1, new TagList { { "outcome", run.Outcome } });
    }
}

/// <summary>
/// The kill switch: (1) the ledger goes to HALT with KILL_SWITCH, first and whatever the venue does (while storage
/// is down the ledger answers with its local HALT and the rest still runs); (2) every open order of the account is
/// cancelled (<see cref="IOpenOrderCanceller"/>); (3) the venue's scheduleCancel dead man's switch is armed
/// Execution:KillSwitch:ScheduleCancelSeconds ahead, so anything an in-flight send places after the cancel-all is
/// cancelled then too. One log line tells the story; an incomplete run raises the alert <c>execution:kill-switch</c>
/// (level 4), a complete one resolves it.
/// </summary>
public sealed partial class KillSwitch(
    SafetyLedger ledger, IOpenOrderCanceller canceller, ExecutionAdapterChoice choice, LoadedConfiguration configuration, KillSwitchMonitor monitor,
    IAlertSink alerts, TimeProvider time, ILogger<KillSwitch> logger)
{
    public const string AlertKey = "execution:kill-switch";
    private readonly TimeSpan _scheduleAhead = TimeSpan.FromSeconds(configuration.Settings.Execution.KillSwitch.ScheduleCancelSeconds);

    public async Task<KillSwitchRun> EngageAsync(string actor, string message, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        var started = time.GetTimestamp();
        var at = time.GetUtcNow();
        var halted = await ledger.ApplyAsync(new OperatorHalt(ReasonCode.KillSwitch, actor, message), ct);

        var cancel = await canceller.CancelAllAsync($"kill switch by {actor}", ct);
        var scheduleAt = time.GetUtcNow() + _scheduleAhead;
        ScheduleCancelOutcome schedule;
        try
        {
            schedule = choice.Adapter is { } adapter
                ? await adapter.ScheduleCancelAsync(scheduleAt, ct)
                : new ScheduleCancelOutcome(scheduleAt, false, $"Execution adapter '{choice.Configured}' is not implemented.");
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            schedule = new ScheduleCancelOutcome(scheduleAt, false, ex.Message);
        }

        var run = new KillSwitchRun(at, actor, KillSwitchOutcomes.Of(cancel, schedule), halted, cancel, schedule, time.GetElapsedTime(started));
        monitor.Engaged(run);
        var cancelled = cancel.Orders.Count(o => o.Cancelled);
        LogEngaged(actor, Describe(halted), run.Outcome, cancelled, cancel.Orders.Count, (long)cancel.Duration.TotalMilliseconds,
            schedule.Armed ? $"armed for {scheduleAt:O}" : $"not armed: {schedule.Error}", (long)run.Duration.TotalMilliseconds, cancel.Failure ?? "none");
        await SignalAsync(run, cancelled, ct);
        return run;
    }

    private static string Describe(LedgerResult result) => result switch
    {
        LedgerResult.Applied a => $"HALT KILL_SWITCH (ledger v{a.State.Version})",
        LedgerResult.Unchanged u => $"unchanged, {u.State.Mode.ToWire()} {u.State.Reason.ToWire()}",
        LedgerResult.Rejected r => $"rejected: {r.Why}",
        LedgerResult.Unavailable u => $"unavailable, local HALT {u.Hold.Reason.ToWire()}",
        _ => result.ToString(),
    };

    private async Task SignalAsync(KillSwitchRun run, int cancelled, CancellationToken ct)
    {
        var complete = run.Outcome == KillSwitchOutcomes.Complete;
        var title = complete
            ? $"Kill switch complete: {cancelled} open orders cancelled, scheduleCancel armed"
            : $"Kill switch {run.Outcome}: {run.Cancel.Orders.Count - cancelled} of {run.Cancel.Orders.Count} open orders not cancelled{(run.Cancel.Failure is null ? "" : " (cancel failed)")}{(run.Schedule.Armed ? "" : ", scheduleCancel not armed")}";
        var detail = $"By {run.Actor} at {run.At:O} in {(long)run.Duration.TotalMilliseconds} ms. Cancel: {run.Cancel.Failure ?? FirstError(run.Cancel) ?? "all cancelled"}. " +
            $"scheduleCancel: {(run.Schedule.Armed ? $"armed for {run.Schedule.At:O}" : run.Schedule.Error)}. Open orders may remain at the venue until this alert resolves.";
        try
        {
            await alerts.SignalAsync(new AlertSignal(AlertKey, AlertLevel.EmergencyHalt, !complete, title, detail, "execution", run.At), ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            LogAlertFailed(ex);
        }
    }

    private static string? FirstError(CancelAllReport report) => report.Orders.FirstOrDefault(o => !o.Cancelled)?.Error;

    [LoggerMessage(EventId = 1110, Level = LogLevel.Warning, Message = "Kill switch by {Actor}: ledger {Ledger}; {Outcome}: {Cancelled} of {Found} open orders cancelled in {CancelMs} ms; scheduleCancel {Schedule}; {DurationMs} ms in all; cancel failure: {Failure}")]
    private partial void LogEngaged(string actor, string ledger, string outcome, int cancelled, int found, long cancelMs, string schedule, long durationMs, string failure);

    [LoggerMessage(EventId = 1111, Level = LogLevel.Error, Message = "Kill switch: the alert could not be signalled")]
    private partial void LogAlertFailed(Exception exception);
}
