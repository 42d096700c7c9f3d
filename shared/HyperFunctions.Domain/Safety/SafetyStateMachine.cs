using System.Collections.Immutable;

namespace HyperFunctions.Domain.Safety;

/// <summary>
/// The one place that decides safety transitions. Pure: the same state, command, policy and time always
/// give the same decision. Rules:
/// automatic signals only lower the mode; HALT lifts to ARMED_SAFE by itself only for allow-listed
/// reasons once healthy long enough; ARMED_SAFE → ARMED_LIVE needs an operator, except self-clearing
/// reasons; operator reset may set any mode, but from a mode other than HALT only with AllowNonHalt;
/// a process start changes nothing unless the configuration changed (see <see cref="DecideBoot"/>).
/// </summary>
public static class SafetyStateMachine
{
    public static SafetyDecision Decide(SafetyState? current, SafetyCommand command, SafetyPolicy policy, DateTimeOffset now, string configHash)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentException.ThrowIfNullOrWhiteSpace(configHash);

        if (current is null)
        {
            return command is Boot boot
                ? Genesis(boot, now, configHash)
                : new SafetyDecision.Rejected("LEDGER_NOT_INITIALISED", "The safety ledger has no state yet; the instance must boot first.");
        }

        var builder = new TransitionBuilder(current, command, now, configHash);
        return command switch
        {
            Boot boot => DecideBoot(current, boot, builder, configHash),
            RaiseCondition raise => DecideRaise(current, raise, builder),
            ClearCondition clear => DecideClear(current, clear, policy, builder),
            Promote promote => DecidePromote(current, promote, builder),
            OperatorHalt halt => DecideHalt(current, halt, builder),
            OperatorReset reset => DecideReset(current, reset, builder),
            MaintenanceSkip skip => DecideMaintenanceSkip(current, skip, builder),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown safety command."),
        };
    }

    private static SafetyDecision Genesis(Boot boot, DateTimeOffset now, string configHash)
    {
        if (boot.StartMode == SafetyMode.ArmedLive && !boot.AllowStartLive)
            return StartLiveNotAllowed();
        var state = new SafetyState(boot.StartMode, ReasonCode.Boot, boot.Message, boot.Actor, now, now, 1, configHash, []);
        return new SafetyDecision.Transition(state, new SafetyTransition(1, null, boot.StartMode, ReasonCode.Boot, boot.Message, boot.Actor, now, configHash, boot.Kind));
    }

    /// <summary>
    /// A process start is not a safety event: with the configuration the ledger carries nothing changes.
    /// A different configuration is a deployment: exactly one CONFIG_CHANGED row (concurrent starts lose
    /// the ETag race and then see the new hash), lowering the mode to the start mode, raising it only to an
    /// explicitly allowed ARMED_LIVE start from a clean ARMED_SAFE, and never out of HALT.
    /// </summary>
    private static SafetyDecision DecideBoot(SafetyState current, Boot boot, TransitionBuilder builder, string configHash)
    {
        if (boot.StartMode == SafetyMode.ArmedLive && !boot.AllowStartLive)
            return StartLiveNotAllowed();
        if (string.Equals(current.ConfigHash, configHash, StringComparison.Ordinal))
            return new SafetyDecision.NoChange($"Process start with the configuration the ledger carries ({configHash}): {current.Mode.ToWire()} ({current.Reason.ToWire()}) stays.");

        var message = $"Configuration changed from {current.ConfigHash} to {configHash}. {boot.Message}";
        if (boot.StartMode.IsMoreRestrictiveThan(current.Mode))
            return builder.To(boot.StartMode, ReasonCode.ConfigChanged, current.Conditions, message);
        if (boot.StartMode == SafetyMode.ArmedLive && current.Mode == SafetyMode.ArmedSafe && current.Conditions.IsEmpty)
            return builder.To(SafetyMode.ArmedLive, ReasonCode.ConfigChanged, current.Conditions, message + " Start mode ARMED_LIVE is explicitly allowed.");
        return builder.Stay(current.Conditions, message + $" {current.Mode.ToWire()} ({current.Reason.ToWire()}) stays.");
    }

    private static SafetyDecision.Rejected StartLiveNotAllowed() =>
        new("START_MODE_NOT_ALLOWED", "A process may start into ARMED_LIVE only when the configuration explicitly allows it (Deployment:Mode=Live and Safety:AllowStartLive=true).");

    private static SafetyDecision DecideRaise(SafetyState current, RaiseCondition raise, TransitionBuilder builder)
    {
        if (raise.Level == SafetyMode.ArmedLive)
            return new SafetyDecision.Rejected("INVALID_LEVEL", "An automatic condition must lower the mode to ARMED_SAFE or HALT.");
        if (raise.Reason.IsOperatorOnly())
            return new SafetyDecision.Rejected("OPERATOR_ONLY_REASON", $"{raise.Reason.ToWire()} is for operators, not automatic checks.");

        var existing = current.FindCondition(raise.Reason);
        if (existing is not null && !raise.Level.IsMoreRestrictiveThan(existing.Level))
            return new SafetyDecision.NoChange($"{raise.Reason.ToWire()} is already active.");

        var condition = new SafetyCondition(raise.Reason, raise.Level, existing?.RaisedAt ?? builder.Now, existing?.ModeBefore ?? current.Mode);
        var conditions = current.Conditions.RemoveAll(c => c.Reason == raise.Reason).Add(condition);
        return raise.Level.IsMoreRestrictiveThan(current.Mode)
            ? builder.To(raise.Level, raise.Reason, conditions)
            : builder.Stay(conditions);
    }

    private static SafetyDecision DecideClear(SafetyState current, ClearCondition clear, SafetyPolicy policy, TransitionBuilder builder)
    {
        var condition = current.FindCondition(clear.Reason);
        if (condition is null)
            return new SafetyDecision.NoChange($"{clear.Reason.ToWire()} is not active.");

        var remaining = current.Conditions.Remove(condition);
        if (current.Reason != clear.Reason)
            return builder.Stay(remaining); // not what holds the mode down: just forget it

        var worstRemaining = remaining.OrderBy(c => c.Level.Permissiveness()).ThenBy(c => c.RaisedAt).FirstOrDefault();
        if (current.Mode == SafetyMode.Halt)
        {
            if (worstRemaining is { Level: SafetyMode.Halt })
                return builder.To(SafetyMode.Halt, worstRemaining.Reason, remaining);
            if (clear.Reason == ReasonCode.BackfillWindowExceeded)
                return new SafetyDecision.NoChange("HALT BACKFILL_WINDOW_EXCEEDED lifts only through a recorded maintenance skip (or an operator reset).");
            if (!policy.AutoRecoverFromHalt.TryGetValue(clear.Reason, out var required))
                return builder.Stay(remaining, $"{clear.Message} (HALT stays: {clear.Reason.ToWire()} is not allow-listed for automatic recovery; an operator must reset.)");
            if (clear.HealthyFor < required)
                return new SafetyDecision.NoChange($"Healthy for {clear.HealthyFor}, recovery needs {required}.");
            return builder.To(SafetyMode.ArmedSafe, worstRemaining?.Reason ?? clear.Reason, remaining);
        }

        if (current.Mode == SafetyMode.ArmedSafe
            && policy.SelfClearing.TryGetValue(clear.Reason, out var selfClearAfter)
            && condition.ModeBefore == SafetyMode.ArmedLive
            && remaining.IsEmpty)
        {
            if (clear.HealthyFor < selfClearAfter)
                return new SafetyDecision.NoChange($"Healthy for {clear.HealthyFor}, self-clearing needs {selfClearAfter}.");
            return builder.To(SafetyMode.ArmedLive, clear.Reason, remaining);
        }

        return worstRemaining is null ? builder.Stay(remaining) : builder.To(current.Mode, worstRemaining.Reason, remaining);
    }

    private static SafetyDecision DecidePromote(SafetyState current, Promote promote, TransitionBuilder builder)
    {
        switch (current.Mode)
        {
            case SafetyMode.ArmedLive:
                return new SafetyDecision.NoChange("Already ARMED_LIVE.");
            case SafetyMode.Halt:
                return new SafetyDecision.Rejected("PROMOTE_FROM_HALT", "HALT cannot be promoted; reset to ARMED_SAFE first.");
        }
        if (!current.Conditions.IsEmpty)
        {
            var active = string.Join(", ", current.Conditions.Select(c => c.Reason.ToWire()));
            return new SafetyDecision.Rejected("CONDITIONS_ACTIVE", $"Cannot promote while automatic conditions are active: {active}.");
        }
        return builder.To(SafetyMode.ArmedLive, ReasonCode.ManualPromote, current.Conditions);
    }

    private static SafetyDecision DecideHalt(SafetyState current, OperatorHalt halt, TransitionBuilder builder) =>
        current.Mode == SafetyMode.Halt && current.Reason == halt.Reason
            ? new SafetyDecision.NoChange($"Already HALT for {halt.Reason.ToWire()}.")
            : builder.To(SafetyMode.Halt, halt.Reason, current.Conditions);

    private static SafetyDecision DecideReset(SafetyState current, OperatorReset reset, TransitionBuilder builder)
    {
        if (current.Mode != SafetyMode.Halt && !reset.AllowNonHalt)
            return new SafetyDecision.Rejected("RESET_REQUIRES_ALLOW_NON_HALT", $"The instance is {current.Mode.ToWire()}, not HALT; resetting it needs allowNonHalt=true.");
        return builder.To(reset.Target, reset.Reason, []);
    }

    /// <summary>
    /// A recorded maintenance skip: the BACKFILL_WINDOW_EXCEEDED condition is forgotten and the mode goes to
    /// ARMED_SAFE with reason MAINTENANCE_SKIP (lowered from ARMED_LIVE, lifted from a HALT that only the
    /// backfill gap held). Any other HALT-level condition, or a HALT for another reason, keeps HALT.
    /// The skip is always recorded (a version with the span in its message).
    /// </summary>
    private static SafetyDecision DecideMaintenanceSkip(SafetyState current, MaintenanceSkip skip, TransitionBuilder builder)
    {
        if (skip.To < skip.From)
            return new SafetyDecision.Rejected("INVALID_SPAN", $"A maintenance skip must end after it starts ({skip.From:O} > {skip.To:O}).");
        var remaining = current.Conditions.RemoveAll(c => c.Reason == ReasonCode.BackfillWindowExceeded);
        var worstRemaining = remaining.OrderBy(c => c.Level.Permissiveness()).ThenBy(c => c.RaisedAt).FirstOrDefault();
        var message = $"Maintenance skip: fills from {skip.From:O} to {skip.To:O} were not backfilled; cursor moved at {skip.AppliedAt:O}. {skip.Message}".TrimEnd();
        var haltHeldByOther = current.Mode == SafetyMode.Halt
            && (current.Reason != ReasonCode.BackfillWindowExceeded || worstRemaining is { Level: SafetyMode.Halt });
        if (haltHeldByOther)
            return builder.Stay(remaining, message + " HALT stays: another reason holds it.");
        return builder.To(SafetyMode.ArmedSafe, ReasonCode.MaintenanceSkip, remaining, message);
    }

    /// <summary>Builds the next state and its history row from one command, keeping versions contiguous.</summary>
    private readonly struct TransitionBuilder(SafetyState current, SafetyCommand command, DateTimeOffset now, string configHash)
    {
        public DateTimeOffset Now => now;

        /// <summary>
        /// The state row carries the configuration deployed, which only a process start changes: a write
        /// by an older process during a rolling deploy must not make the next start look like a deployment.
        /// Each history row records the writer's own hash.
        /// </summary>
        private string StateConfigHash => command is Boot ? configHash : current.ConfigHash;

        public SafetyDecision To(SafetyMode mode, ReasonCode reason, ImmutableArray<SafetyCondition> conditions, string? message = null)
        {
            var changed = mode != current.Mode || reason != current.Reason;
            var version = current.Version + 1;
            var text = message ?? command.Message;
            var next = current with
            {
                Mode = mode,
                Reason = reason,
                Message = text,
                Actor = command.Actor,
                Since = changed ? now : current.Since,
                UpdatedAt = now,
                Version = version,
                ConfigHash = StateConfigHash,
                Conditions = conditions,
            };
            return new SafetyDecision.Transition(next, new SafetyTransition(version, current.Mode, mode, reason, text, command.Actor, now, configHash, command.Kind));
        }

        /// <summary>Same mode and reason; only the active conditions change (still a recorded version).</summary>
        public SafetyDecision Stay(ImmutableArray<SafetyCondition> conditions, string? message = null)
        {
            var reasonForRecord = command switch
            {
                RaiseCondition r => r.Reason,
                ClearCondition c => c.Reason,
                MaintenanceSkip => ReasonCode.MaintenanceSkip,
                Boot => ReasonCode.ConfigChanged,
                _ => current.Reason,
            };
            var version = current.Version + 1;
            var text = message ?? command.Message;
            var next = current with { UpdatedAt = now, Version = version, ConfigHash = StateConfigHash, Conditions = conditions };
            return new SafetyDecision.Transition(next, new SafetyTransition(version, current.Mode, current.Mode, reasonForRecord, text, command.Actor, now, configHash, command.Kind));
        }
    }
}
