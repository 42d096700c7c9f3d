using HyperFunctions.Domain.Execution;
using HyperFunctions.Domain.Safety;
using HyperFunctions.Functions.Execution;
using HyperFunctions.Storage.Ledger;

namespace HyperFunctions.Functions.Http;

/// <summary>One order of a cancel-all: cancelled, or the venue's (or our) text why not.</summary>
public sealed record CancelledOrderView(string Coin, long Oid, string? Cloid, bool Cancelled, string? Error);

/// <summary>What the cancel-all did: every open order found, its failure if it failed as a whole, and how long the venue part took.</summary>
public sealed record CancelAllView(bool Complete, int Found, int Cancelled, string? Failure, long DurationMs, CancelledOrderView[] Orders)
{
    public static CancelAllView Of(CancelAllReport r) =>
        new(r.Complete, r.Orders.Count, r.Orders.Count(o => o.Cancelled), r.Failure, (long)r.Duration.TotalMilliseconds,
            r.Orders.Select(o => new CancelledOrderView(o.Coin, o.Oid, o.Cloid, o.Cancelled, o.Error)).ToArray());
}

/// <summary>The venue's dead man's switch as the kill switch left it.</summary>
public sealed record ScheduleCancelView(bool Armed, DateTimeOffset? Time, long? TimeMs, string? Error)
{
    public static ScheduleCancelView Of(ScheduleCancelOutcome s) => new(s.Armed, s.At, s.At?.ToUnixTimeMilliseconds(), s.Error);
}

/// <summary>A kill switch run: outcome (complete, incomplete, cancel_failed), the cancel, scheduleCancel, the whole duration.</summary>
public sealed record KillSwitchView(DateTimeOffset At, string Actor, string Outcome, CancelAllView Cancel, ScheduleCancelView ScheduleCancel, long DurationMs)
{
    public static KillSwitchView Of(KillSwitchRun run) =>
        new(run.At, run.Actor, run.Outcome, CancelAllView.Of(run.Cancel), ScheduleCancelView.Of(run.Schedule), (long)run.Duration.TotalMilliseconds);
}

/// <summary>
/// Answer to POST /api/safety/halt with cancelAll: the ledger's part as for a plain halt (result, mode, reason, version,
/// detail, transition; result "unavailable" while storage is down and the process holds a local HALT) plus the kill switch.
/// </summary>
public sealed record KillSwitchResponse(
    string Result, string Mode, string Reason, long? Version, string? Detail, TransitionView? Transition, KillSwitchView KillSwitch)
{
    public static KillSwitchResponse Of(KillSwitchRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var view = KillSwitchView.Of(run);
        return run.Ledger switch
        {
            LedgerResult.Applied a => new("applied", a.State.Mode.ToWire(), a.State.Reason.ToWire(), a.State.Version, null, TransitionView.Of(a.Record), view),
            LedgerResult.Unchanged u => new("unchanged", u.State.Mode.ToWire(), u.State.Reason.ToWire(), u.State.Version, u.Why, null, view),
            LedgerResult.Rejected r => new("rejected", r.State?.Mode.ToWire() ?? SafetyMode.Halt.ToWire(), r.State?.Reason.ToWire() ?? ReasonCode.KillSwitch.ToWire(), r.State?.Version, r.Why, null, view),
            LedgerResult.Unavailable u => new("unavailable", SafetyMode.Halt.ToWire(), u.Hold.Reason.ToWire(), null,
                $"Nothing was written to the ledger. This process holds a local HALT ({u.Hold.Reason.ToWire()}) since {u.Hold.Since:O}: {u.Hold.Message}", null, view),
            _ => throw new ArgumentOutOfRangeException(nameof(run)),
        };
    }
}
