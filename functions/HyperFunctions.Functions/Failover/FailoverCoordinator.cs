using Azure;
using HyperFunctions.Domain.Alerts;
using HyperFunctions.Domain.Failover;
using HyperFunctions.Storage;
using HyperFunctions.Storage.Failover;

namespace HyperFunctions.Functions.Failover;

/// <summary>
/// Runs failovers and failbacks: checks the state, the policy (cooldown, daily cap) and the primary's health,
/// claims the coordinator with one ETag-guarded write (so of many concurrent requests exactly one runs), then
/// runs the configured hooks in order, each with its timeout and failure policy, committing each step with
/// the state it leads to in one transaction. A failing step with abortAndRollBack undoes the completed steps
/// newest first (the switch included) and settles in the start state. A run that died holding the
/// coordinator (its lease ran out) is adopted by the next request or the automatic trigger: resumed when the
/// active site had already switched, rolled back otherwise, so the system is never left half-switched.
/// Every step is alerted and counted.
/// </summary>
public sealed partial class FailoverCoordinator(
    FailoverStore store, FailoverConfig config, FailoverHookRegistry kinds, SiteHealth sites, FailoverMemory memory,
    IAlertSink alerts, FailoverMetrics metrics, TimeProvider time, ILogger<FailoverCoordinator> logger)
{
    public const string RunAlertKey = "failover:run";
    private const int MaxAttempts = 5;

    private bool _tableReady;

    /// <summary>The state as storage has it now (genesis when nothing was written), remembered.</summary>
    public async Task<(FailoverRecord Record, ETag? ETag)> ReadAsync(CancellationToken ct)
    {
        await EnsureTableAsync(ct);
        var snapshot = await store.ReadAsync(ct);
        var record = snapshot?.Record ?? FailoverRecord.Genesis(config.Primary);
        memory.Remember(record, time.GetUtcNow());
        return (record, snapshot?.ETag);
    }

    public async Task<FailoverOutcome> RunAsync(FailoverRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!config.Enabled) return new FailoverOutcome.Refused("FAILOVER_OFF", "Failover is not configured here (Failover:Sites is empty).");
        string? recovered = null;
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var (record, etag) = await ReadAsync(ct);
            var now = time.GetUtcNow();
            if (record.Run is { } held)
            {
                if (request.DryRun || now < held.LeaseUntil)
                {
                    if (request.DryRun) return await PlanAsync(request, record, ct);
                    return Refuse(request, new FailoverOutcome.Refused("RUN_IN_PROGRESS",
                        $"Run {held.RunId} ({held.Kind.ToWire()} {held.FromSite} → {held.ToSite}, by {held.Actor}, started {held.StartedAt:O}) holds the coordinator; try again when it has ended.", held.RunId));
                }
                recovered = held.RunId;
                await RecoverAsync(new Owned(record, etag!.Value), request.Actor, ct);
                continue;
            }

            var (refusal, verdict) = Judge(request, record, now);
            if (request.DryRun) return await PlanAsync(request, record, ct);
            if (refusal is not null)
            {
                // The automatic trigger records its refusals itself, once per episode (it asks every tick).
                if (!request.Automatic && refusal.Code is "COOLDOWN" or "DAILY_CAP" or "PRIMARY_UNHEALTHY") await RecordRefusalAsync(request, refusal, ct);
                return Refuse(request, refusal);
            }

            var (from, to) = config.Direction(request.Kind);
            var runId = FailoverStore.NewRunId(now);
            var claim = new RunClaim(runId, request.Kind, from, to, request.Actor, request.Reason, verdict?.ForcedPastCooldown ?? false, request.Automatic,
                now, now + config.Lease, Guid.NewGuid().ToString("N"), 0, false, 0, 0);
            var next = record with { State = FailoverTransitions.InProgress(request.Kind), Run = claim, Version = record.Version + 1, LastRunId = runId };
            var run = RunRow(claim, null, RunOutcome.Running, request.Reason + (claim.Forced ? " (forced past the cooldown)" : ""));
            var written = await store.TryWriteAsync(next, etag, run, [], ct);
            if (written is null)
            {
                LogClaimConflict(request.Kind.ToWire(), attempt);
                continue; // another writer got there first: read again (it may be a run now in progress)
            }
            memory.Remember(next, now);
            memory.RememberRun(run);
            LogStarted(runId, request.Kind.ToWire(), from, to, request.Actor, request.Automatic, claim.Forced, request.Reason);
            await SignalAsync(new AlertSignal(RunAlertKey, AlertLevel.Operations, true, $"{Title(request.Kind)} started: {from} → {to}",
                $"Run {runId} by {request.Actor}{(request.Automatic ? " (automatic)" : "")}{(claim.Forced ? ", forced past the cooldown" : "")}: {request.Reason}", "failover", now), ct);
            var owned = await ExecuteAsync(new Owned(next, written.Value), request.Actor, ct);
            return await ResultAsync(claim, owned, recovered, ct);
        }
        return Refuse(request, new FailoverOutcome.Refused("CONFLICT", $"Gave up after {MaxAttempts} conflicting writes to the failover state; try again."));
    }

    /// <summary>Adopts a run whose lease ran out (the automatic trigger calls this on every tick); null when there is none.</summary>
    public async Task<string?> RecoverAbandonedAsync(string actor, CancellationToken ct)
    {
        if (!config.Enabled) return null;
        var (record, etag) = await ReadAsync(ct);
        if (record.Run is not { } held || time.GetUtcNow() < held.LeaseUntil) return null;
        await RecoverAsync(new Owned(record, etag!.Value), actor, ct);
        return held.RunId;
    }

    private (FailoverOutcome.Refused? Refusal, PolicyVerdict? Verdict) Judge(FailoverRequest request, FailoverRecord record, DateTimeOffset now)
    {
        if (FailoverTransitions.RefusalToStart(record.State, request.Kind) is { } why) return (new FailoverOutcome.Refused("STATE", why), null);
        if (request.Kind == FailoverKind.Failover)
        {
            var verdict = FailoverPolicy.Evaluate(config.Limits, record.Counters, now, request.Force);
            if (!verdict.Allowed)
                return (new FailoverOutcome.Refused(verdict.Refusal == PolicyRefusal.DailyCap ? "DAILY_CAP" : "COOLDOWN", verdict.Message, NextAllowedAt: verdict.NextAllowedAt), verdict);
            return (null, verdict);
        }
        var failing = sites.Failing(config.Primary);
        return failing.Count > 0
            ? (new FailoverOutcome.Refused("PRIMARY_UNHEALTHY", $"Failback needs the checks of the primary site {config.Primary} healthy; failing: {string.Join("; ", failing)}.", FailingChecks: [.. failing]), null)
            : (null, null);
    }

    private async Task<FailoverOutcome.Planned> PlanAsync(FailoverRequest request, FailoverRecord record, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var (from, to) = config.Direction(request.Kind);
        var preconditions = new List<Precondition>();
        if (record.Run is { } held)
        {
            var dead = now >= held.LeaseUntil;
            preconditions.Add(new Precondition("No run holds the coordinator", false,
                dead ? $"Run {held.RunId} died after step {held.StepsDone}; the next real request {(held.Switched && !held.RollingBack ? "resumes" : "rolls back")} it first."
                     : $"Run {held.RunId} ({held.Kind.ToWire()}) is in progress."));
        }
        else
        {
            var (_, verdict) = Judge(request, record, now);
            var stateWhy = FailoverTransitions.RefusalToStart(record.State, request.Kind);
            preconditions.Add(new Precondition($"The coordinator is {FailoverTransitions.Origin(request.Kind).ToWire()} (now {record.State.ToWire()})", stateWhy is null, stateWhy));
            if (request.Kind == FailoverKind.Failover)
            {
                var policy = verdict ?? FailoverPolicy.Evaluate(config.Limits, record.Counters, now, request.Force);
                preconditions.Add(new Precondition("Cooldown and daily cap allow a failover", policy.Allowed, policy.Message));
            }
            else
            {
                var failing = sites.Failing(config.Primary);
                preconditions.Add(new Precondition($"The checks of the primary site {config.Primary} are healthy", failing.Count == 0, failing.Count == 0 ? null : string.Join("; ", failing)));
            }
        }

        var runId = FailoverStore.NewRunId(now);
        var steps = new List<PlanStepView>();
        foreach (var step in FailoverPlan.Build(request.Kind, config.Hooks))
        {
            var context = new HookContext(step.Hook, runId, request.Kind, from, to, request.Actor, request.Reason);
            HookPreview preview;
            try
            {
                preview = await kinds.Get(step.Hook.Kind).PreviewAsync(context, ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                preview = new HookPreview("(the hook could not describe itself)", [new Precondition("The hook can be previewed", false, FailureEpisode.OneLine(ex))]);
            }
            steps.Add(new PlanStepView(step.Index, step.Name, step.Hook.Kind, Phase(step.Phase), preview.WouldDo, step.Hook.Timeout.TotalSeconds,
                step.OnFailure.ToWire(), [.. preview.Preconditions]));
        }
        var wouldRun = preconditions.All(p => p.Holds);
        var planned = new FailoverOutcome.Planned(runId, request.Kind, from, to, record.State.ToWire(), record.ActiveSite, wouldRun, [.. preconditions], [.. steps]);
        var summary = $"Dry-run: {steps.Count} step(s); {(wouldRun ? "all preconditions hold" : "would be refused: " + string.Join("; ", preconditions.Where(p => !p.Holds).Select(p => p.Description)))}.";
        var run = new FailoverRun(runId, request.Kind, from, to, request.Actor, request.Reason, true, request.Force, request.Automatic, now, now, RunOutcome.Planned, summary);
        await TryRecordAsync(run, ct);
        metrics.Ran(request.Kind, RunOutcome.Planned);
        LogPlanned(runId, request.Kind.ToWire(), request.Actor, wouldRun);
        return planned;
    }

    /// <summary>Runs the owned run's remaining steps (or its rollback) and settles it. Returns null when another process adopted the run meanwhile.</summary>
    private async Task<Owned?> ExecuteAsync(Owned owned, string actor, CancellationToken ct)
    {
        var steps = FailoverPlan.Build(owned.Claim.Kind, config.Hooks);
        while (!owned.Claim.RollingBack && owned.Claim.StepsDone < steps.Count)
        {
            var claim = owned.Claim;
            var step = steps[claim.StepsDone];
            var kind = kinds.Get(step.Hook.Kind);
            var (result, duration) = await InvokeAsync(step, async c => (HookResult?)await kind.RunAsync(Context(step, claim), c), ct);
            var now = time.GetUtcNow();
            var abort = !result!.Succeeded && step.OnFailure == HookFailurePolicy.AbortAndRollBack;
            var switched = result.Succeeded && step.Phase == HookPhase.Switch;
            var nextClaim = claim with
            {
                StepsDone = abort ? claim.StepsDone : claim.StepsDone + 1,
                Switched = claim.Switched || switched,
                Failures = claim.Failures + (result.Succeeded ? 0 : 1),
                Sequence = claim.Sequence + 1,
                LeaseUntil = now + config.Lease,
                RollingBack = abort,
            };
            var next = owned.Record with { Run = nextClaim, ActiveSite = switched ? claim.ToSite : owned.Record.ActiveSite, Version = owned.Record.Version + 1 };
            var outcome = result.Succeeded ? StepOutcome.Succeeded : StepOutcome.Failed;
            var detail = result.Succeeded || !abort ? result.Detail : $"{result.Detail} (onFailure abortAndRollBack: rolling back)";
            var row = new FailoverStep(claim.RunId, nextClaim.Sequence, step.Name, step.Hook.Kind, Phase(step.Phase), outcome, detail, (long)duration.TotalMilliseconds, now, actor);
            if (await CommitAsync(owned, next, null, [row], ct) is not { } committed) return null;
            owned = committed;
            await StepDoneAsync(claim, row, duration, ct);
        }
        return owned.Claim.RollingBack ? await RollBackAsync(owned, steps, actor, ct) : await CompleteAsync(owned, steps, actor, ct);
    }

    private async Task<Owned?> RollBackAsync(Owned owned, IReadOnlyList<PlanStep> steps, string actor, CancellationToken ct)
    {
        while (owned.Claim.StepsDone > 0)
        {
            var claim = owned.Claim;
            var step = steps[claim.StepsDone - 1];
            var kind = kinds.Get(step.Hook.Kind);
            var (result, duration) = await InvokeAsync(step, c => kind.RollBackAsync(Context(step, claim), c), ct);
            var now = time.GetUtcNow();
            var unswitch = step.Phase == HookPhase.Switch;
            var nextClaim = claim with
            {
                StepsDone = claim.StepsDone - 1, Switched = !unswitch && claim.Switched, Sequence = claim.Sequence + 1, LeaseUntil = now + config.Lease,
            };
            var next = owned.Record with { Run = nextClaim, ActiveSite = unswitch ? claim.FromSite : owned.Record.ActiveSite, Version = owned.Record.Version + 1 };
            var outcome = result is null ? StepOutcome.Skipped : result.Succeeded ? StepOutcome.RolledBack : StepOutcome.Failed;
            var row = new FailoverStep(claim.RunId, nextClaim.Sequence, step.Name, step.Hook.Kind, "rollback", outcome,
                result?.Detail ?? "Nothing to undo.", (long)duration.TotalMilliseconds, now, actor);
            if (await CommitAsync(owned, next, null, [row], ct) is not { } committed) return null;
            owned = committed;
            await StepDoneAsync(claim, row, duration, ct);
        }
        return await SettleAsync(owned, RunOutcome.RolledBack, [], actor, ct);
    }

    private async Task<Owned?> CompleteAsync(Owned owned, IReadOnlyList<PlanStep> steps, string actor, CancellationToken ct)
    {
        var claim = owned.Claim;
        var rows = new List<FailoverStep>();
        var sequence = claim.Sequence;
        foreach (var step in steps)
        {
            var kind = kinds.Get(step.Hook.Kind);
            var (result, duration) = await InvokeAsync(step, c => kind.FinishAsync(Context(step, claim), c), ct);
            if (result is null) continue;
            rows.Add(new FailoverStep(claim.RunId, ++sequence, step.Name, step.Hook.Kind, "finish", result.Succeeded ? StepOutcome.Succeeded : StepOutcome.Failed,
                result.Detail, (long)duration.TotalMilliseconds, time.GetUtcNow(), actor));
        }
        var failures = claim.Failures + rows.Count(r => r.Outcome == StepOutcome.Failed);
        owned = owned with { Record = owned.Record with { Run = claim with { Sequence = sequence, Failures = failures } } };
        return await SettleAsync(owned, failures > 0 ? RunOutcome.SucceededWithErrors : RunOutcome.Succeeded, rows, actor, ct);
    }

    private async Task<Owned?> SettleAsync(Owned owned, RunOutcome outcome, IReadOnlyList<FailoverStep> rows, string actor, CancellationToken ct)
    {
        var claim = owned.Claim;
        var now = time.GetUtcNow();
        var switched = outcome != RunOutcome.RolledBack;
        var counters = !switched ? owned.Record.Counters
            : claim.Kind == FailoverKind.Failover ? owned.Record.Counters.AfterFailover(now) : owned.Record.Counters.AfterFailback(now);
        var next = owned.Record with
        {
            State = FailoverTransitions.Settle(claim.Kind, switched), ActiveSite = switched ? claim.ToSite : claim.FromSite, Run = null,
            Counters = counters, Version = owned.Record.Version + 1,
        };
        var detail = outcome switch
        {
            RunOutcome.Succeeded => $"{claim.ToSite} is active. {claim.Reason}",
            RunOutcome.SucceededWithErrors => $"{claim.ToSite} is active; {claim.Failures} step(s) failed and were continued past. {claim.Reason}",
            _ => $"Rolled back: {claim.FromSite} stays active. {claim.Reason}",
        };
        var run = RunRow(claim, now, outcome, detail);
        if (await CommitAsync(owned, next, run, rows, ct) is not { } settled) return null;
        memory.RememberRun(run);
        metrics.Ran(claim.Kind, outcome);
        foreach (var row in rows) await StepDoneAsync(claim, row, TimeSpan.FromMilliseconds(row.DurationMs), ct);
        LogSettled(claim.RunId, claim.Kind.ToWire(), outcome.ToWire(), next.State.ToWire(), next.ActiveSite, (now - claim.StartedAt).TotalSeconds, claim.Failures);
        var level = outcome switch { RunOutcome.Succeeded => AlertLevel.Operations, RunOutcome.SucceededWithErrors => AlertLevel.Operations, _ => AlertLevel.Risk };
        await SignalAsync(new AlertSignal(RunAlertKey, level, outcome != RunOutcome.Succeeded, $"{Title(claim.Kind)} {outcome.ToWire()}: {next.ActiveSite} is active",
            $"Run {claim.RunId} by {claim.Actor} in {(now - claim.StartedAt).TotalSeconds:F1} s. {detail}", "failover", now), ct);
        return settled;
    }

    /// <summary>Adopts a dead run with a new owner token, records why, then resumes or rolls it back.</summary>
    private async Task RecoverAsync(Owned dead, string actor, CancellationToken ct)
    {
        var claim = dead.Claim;
        var now = time.GetUtcNow();
        var action = claim.RollingBack ? RecoveryAction.RollBack : FailoverTransitions.Recover(dead.Record.State, claim.Switched);
        var adopted = claim with { Owner = Guid.NewGuid().ToString("N"), LeaseUntil = now + config.Lease, Sequence = claim.Sequence + 1, RollingBack = action == RecoveryAction.RollBack };
        var detail = $"Run {claim.RunId} by {claim.Actor} stopped after {claim.StepsDone} completed step(s) (its lease ran out at {claim.LeaseUntil:O}; the active site had {(claim.Switched ? "" : "not ")}switched): "
            + (action == RecoveryAction.Resume ? "resuming its remaining steps." : "rolling back its completed steps.");
        var row = new FailoverStep(claim.RunId, adopted.Sequence, "recover", "recover", "recovery", StepOutcome.Succeeded, detail, 0, now, actor);
        var next = dead.Record with { Run = adopted, Version = dead.Record.Version + 1 };
        if (await CommitAsync(dead, next, null, [row], ct) is not { } owned) return; // another process adopted it first
        LogRecovering(claim.RunId, action.ToString(), actor);
        await SignalAsync(new AlertSignal($"failover:{claim.RunId}:recover", AlertLevel.Risk, true, $"{Title(claim.Kind)} run {claim.RunId} died mid-run: {action}", detail, "failover", now), ct);
        await ExecuteAsync(owned, actor, ct);
    }

    private async Task<Owned?> CommitAsync(Owned owned, FailoverRecord next, FailoverRun? run, IReadOnlyList<FailoverStep> rows, CancellationToken ct)
    {
        var etag = await StorageTimeout.BoundAsync(c => store.TryWriteAsync(next, owned.ETag, run, rows, c), TimeSpan.FromSeconds(30), ct);
        if (etag is null)
        {
            LogLostRun(owned.Claim.RunId);
            return null;
        }
        memory.Remember(next, time.GetUtcNow());
        return new Owned(next, etag.Value);
    }

    private async Task<(HookResult? Result, TimeSpan Duration)> InvokeAsync(PlanStep step, Func<CancellationToken, Task<HookResult?>> action, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        using var limit = new CancellationTokenSource(step.Hook.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, limit.Token);
        HookResult? result;
        try
        {
            result = await action(linked.Token).WaitAsync(step.Hook.Timeout, time, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && (limit.IsCancellationRequested || ex is TimeoutException))
        {
            result = HookResult.Fail($"Timed out after {step.Hook.Timeout.TotalSeconds:F0} s.");
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            result = HookResult.Fail(Domain.ServiceHealth.ProbeText.Scrub(FailureEpisode.OneLine(ex)));
        }
        return (result, time.GetElapsedTime(started));
    }

    private async Task StepDoneAsync(RunClaim claim, FailoverStep row, TimeSpan duration, CancellationToken ct)
    {
        metrics.Step(claim.Kind, row.Kind, row.Outcome, duration);
        LogStep(claim.RunId, row.Sequence, row.Name, row.Phase, row.Outcome.ToWire(), row.DurationMs, row.Detail);
        var failed = row.Outcome == StepOutcome.Failed;
        var key = $"failover:{claim.RunId}:{row.Sequence}";
        var title = $"{Title(claim.Kind)} step {row.Name} ({row.Phase}): {row.Outcome.ToWire()}";
        var detail = $"Run {claim.RunId} {claim.FromSite} → {claim.ToSite}, {row.DurationMs} ms: {row.Detail}";
        await SignalAsync(new AlertSignal(key, failed ? AlertLevel.Risk : AlertLevel.AutomatedRecovery, true, title, detail, "failover", row.At), ct);
        // A step that went well is told and closed at once; a failed one stays open for an operator.
        if (!failed) await SignalAsync(new AlertSignal(key, AlertLevel.AutomatedRecovery, false, title, detail, "failover", row.At), ct);
    }

    /// <summary>Records a refusal in history (it changed nothing else).</summary>
    public async Task RecordRefusalAsync(FailoverRequest request, FailoverOutcome.Refused refusal, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var (from, to) = config.Direction(request.Kind);
        var run = new FailoverRun(FailoverStore.NewRunId(now), request.Kind, from, to, request.Actor, request.Reason, false, request.Force, request.Automatic, now, now,
            RunOutcome.Refused, $"{refusal.Code}: {refusal.Message}");
        await TryRecordAsync(run, ct);
        memory.RememberRun(run);
    }

    private async Task TryRecordAsync(FailoverRun run, CancellationToken ct)
    {
        try
        {
            await StorageTimeout.BoundAsync(c => store.AddRunAsync(run, [], c), TimeSpan.FromSeconds(10), ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            LogRecordFailed(run.RunId, FailureEpisode.OneLine(ex));
        }
    }

    private FailoverOutcome.Refused Refuse(FailoverRequest request, FailoverOutcome.Refused refusal)
    {
        metrics.Refused(request.Kind, refusal.Code);
        LogRefused(request.Kind.ToWire(), request.Actor, refusal.Code, refusal.Message);
        return refusal;
    }

    private async Task<FailoverOutcome> ResultAsync(RunClaim claim, Owned? owned, string? recovered, CancellationToken ct)
    {
        var steps = await store.ReadStepsAsync(claim.RunId, ct);
        if (owned is null)
            return new FailoverOutcome.Refused("RUN_ADOPTED", $"Run {claim.RunId} was adopted by another process (its lease ran out) before it ended; see GET /api/failover/history.", claim.RunId);
        var runs = await store.ReadRunsAsync(20, ct);
        var run = runs.FirstOrDefault(r => r.RunId == claim.RunId);
        var outcome = run?.Outcome ?? RunOutcome.Running;
        return new FailoverOutcome.Ran(claim.RunId, claim.Kind, outcome, claim.FromSite, claim.ToSite, owned.Record.State.ToWire(), owned.Record.ActiveSite, claim.Forced,
            [.. steps.Select(StepView.Of)], run?.DurationSeconds ?? 0, recovered);
    }

    private async Task EnsureTableAsync(CancellationToken ct)
    {
        if (_tableReady) return;
        await store.EnsureTableAsync(ct);
        _tableReady = true;
    }

    private async Task SignalAsync(AlertSignal signal, CancellationToken ct)
    {
        try
        {
            await alerts.SignalAsync(signal, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            LogAlertFailed(signal.Key, FailureEpisode.OneLine(ex)); // the run goes on: an alert outage never stops a failover
        }
    }

    private static HookContext Context(PlanStep step, RunClaim claim) => new(step.Hook, claim.RunId, claim.Kind, claim.FromSite, claim.ToSite, claim.Actor, claim.Reason);

    private static FailoverRun RunRow(RunClaim claim, DateTimeOffset? endedAt, RunOutcome outcome, string detail) =>
        new(claim.RunId, claim.Kind, claim.FromSite, claim.ToSite, claim.Actor, claim.Reason, false, claim.Forced, claim.Automatic, claim.StartedAt, endedAt, outcome, detail);

    private static string Phase(HookPhase phase) => phase switch { HookPhase.Pre => "pre", HookPhase.Switch => "switch", _ => "post" };

    private static string Title(FailoverKind kind) => kind == FailoverKind.Failover ? "Failover" : "Failback";

    private sealed record Owned(FailoverRecord Record, ETag ETag)
    {
        public RunClaim Claim => Record.Run!;
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Failover run {RunId} started: {Kind} {From} -> {To} by {Actor} (automatic: {Automatic}, forced: {Forced}): {Reason}")]
    private partial void LogStarted(string runId, string kind, string from, string to, string actor, bool automatic, bool forced, string reason);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Failover run {RunId} step {Sequence} {Step} ({Phase}): {Outcome} in {DurationMs} ms. {Detail}")]
    private partial void LogStep(string runId, int sequence, string step, string phase, string outcome, long durationMs, string detail);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Failover run {RunId} ({Kind}) ended {Outcome}: state {State}, active site {ActiveSite}, {DurationSeconds:F1} s, {Failures} failed step(s)")]
    private partial void LogSettled(string runId, string kind, string outcome, string state, string activeSite, double durationSeconds, int failures);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message = "{Kind} refused for {Actor}: {Code}: {Message}")]
    private partial void LogRefused(string kind, string actor, string code, string message);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Warning, Message = "Failover run {RunId} died holding the coordinator; {Actor} adopts it: {Action}")]
    private partial void LogRecovering(string runId, string action, string actor);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Warning, Message = "Failover run {RunId}: another process adopted the run; this process stops running it")]
    private partial void LogLostRun(string runId);

    [LoggerMessage(EventId = 2107, Level = LogLevel.Debug, Message = "Failover claim conflict for a {Kind} (attempt {Attempt}); reading again")]
    private partial void LogClaimConflict(string kind, int attempt);

    [LoggerMessage(EventId = 2108, Level = LogLevel.Information, Message = "Failover dry-run {RunId} ({Kind}) by {Actor}: would run: {WouldRun}")]
    private partial void LogPlanned(string runId, string kind, string actor, bool wouldRun);

    [LoggerMessage(EventId = 2109, Level = LogLevel.Warning, Message = "Could not record failover run {RunId} in history: {Error}")]
    private partial void LogRecordFailed(string runId, string error);

    [LoggerMessage(EventId = 2110, Level = LogLevel.Warning, Message = "Could not signal failover alert {Key}: {Error}")]
    private partial void LogAlertFailed(string key, string error);
}
