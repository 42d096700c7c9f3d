using HyperFunctions.Configuration;
using HyperFunctions.Domain.Safety;
using Microsoft.Extensions.Logging;

namespace HyperFunctions.Storage.Ledger;

/// <summary>
/// The durable safety state machine: decides with <see cref="SafetyStateMachine"/>, persists through
/// <see cref="LedgerTableStore"/>, and when the ledger cannot be used holds a local HALT so that no
/// order is ever admitted on a state it could not persist. Safe to call from many threads and
/// processes: concurrent writers are serialised by the state row's ETag (read, decide, commit; on
/// conflict, again).
/// </summary>
public sealed partial class SafetyLedger(
    LedgerTableStore store, LoadedConfiguration configuration, TimeProvider time, ILogger<SafetyLedger> logger, LedgerMetrics? metrics = null, ISafetyLedgerObserver? observer = null)
{
    /// <summary>Enough for every one of many concurrent writers to win once; each conflict means another writer did.</summary>
    private const int MaxCommitAttempts = 200;

    private readonly Lock _gate = new();
    private readonly TimeSpan _operationTimeout = TimeSpan.FromSeconds(configuration.Settings.Storage.OperationTimeoutSeconds);
    private LocalHold? _hold;
    private long _failedProbes;
    private SafetyState? _lastKnown;
    private DateTimeOffset? _lastKnownAt;
    private DateTimeOffset _usableSince = time.GetUtcNow();
    private bool _tableReady;
    private bool _booted;

    public string InstanceId => store.InstanceId;

    public string ConfigHash => configuration.ConfigHash;

    public LocalHold? Hold { get { lock (_gate) return _hold; } }

    /// <summary>The newest ledger state this process has read or written (null before first contact).</summary>
    public SafetyState? LastKnown { get { lock (_gate) return _lastKnown; } }

    /// <summary>Since when this process has found the ledger usable without interruption.</summary>
    public DateTimeOffset UsableSince { get { lock (_gate) return _usableSince; } }

    /// <summary>Storage calls that failed during the current local hold (0 when there is none).</summary>
    public long FailedProbes { get { lock (_gate) return _failedProbes; } }

    /// <summary>
    /// The effective state from memory, without touching storage: what GET /api/status shows, so it answers
    /// at once whatever storage does. <see cref="MemorySnapshot.ReadAt"/> says how old the ledger state is.
    /// </summary>
    public MemorySnapshot Remembered
    {
        get
        {
            lock (_gate)
            {
                var effective = _hold is null && _lastKnown is null
                    ? EffectiveSafety.From(null, new LocalHold(ReasonCode.Boot, _usableSince, "The instance has not booted yet."))
                    : EffectiveSafety.From(_lastKnown, _hold);
                return new MemorySnapshot(effective, _lastKnownAt, _usableSince, _failedProbes);
            }
        }
    }

    /// <summary>Creates the table if needed and applies the boot command; holds a local HALT if storage is not usable.</summary>
    public async Task<LedgerResult> BootAsync(CancellationToken ct)
    {
        var probe = await ProbeAsync(ct);
        if (probe.Hold is { } hold) return new LedgerResult.Unavailable(hold);
        // The probe boots on first contact; a second call must not lower the mode again.
        return probe.BootResult ?? new LedgerResult.Unchanged(LastKnown!, "Already booted.");
    }

    /// <summary>Reads the ledger fresh; on failure the local hold is what the gate sees.</summary>
    public async Task<EffectiveSafety> GetEffectiveAsync(CancellationToken ct)
    {
        if (Hold is not null) await ProbeAsync(ct);
        if (Hold is null)
        {
            try
            {
                var snapshot = await BoundedAsync(store.ReadAsync, ct);
                if (snapshot is not null) Remember(snapshot.State);
                else if (_booted) EnterHold(ReasonCode.SchemaVersionMismatch, "The ledger's state row has disappeared since boot.");
            }
            catch (Exception ex) when (IsStorageFault(ex, ct))
            {
                EnterHold(ex);
            }
        }
        return Remembered.Effective;
    }

    /// <summary>The order gate on the freshly read effective mode.</summary>
    public async Task<GateDecision> EvaluateGateAsync(GateRequest request, CancellationToken ct)
    {
        var effective = await GetEffectiveAsync(ct);
        var decision = OrderGate.Evaluate(effective.Mode, request);
        return effective.Hold is { } hold && request.Action == OrderAction.Place
            ? GateDecision.Refuse($"Local HALT ({hold.Reason.ToWire()}): {hold.Message}")
            : decision;
    }

    /// <summary>Applies a command. While a local hold is active nothing is written and the hold is returned.</summary>
    public async Task<LedgerResult> ApplyAsync(SafetyCommand command, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Hold is not null) await ProbeAsync(ct);
        if (Hold is { } hold) return new LedgerResult.Unavailable(hold);
        return await ApplyCoreAsync(command, ct);
    }

    /// <summary>History from storage; fails fast with <see cref="LedgerUnavailableException"/> while a local hold is active.</summary>
    public async Task<IReadOnlyList<SafetyTransition>> ReadHistoryAsync(int limit, long? beforeVersion, CancellationToken ct)
    {
        if (Hold is { } hold) throw new LedgerUnavailableException(hold, new InvalidOperationException("Storage is not usable; the prober retries in the background."));
        try
        {
            return await BoundedAsync(t => store.ReadHistoryAsync(limit, beforeVersion, t), ct);
        }
        catch (Exception ex) when (IsStorageFault(ex, ct))
        {
            EnterHold(ex);
            throw new LedgerUnavailableException(Hold!, ex);
        }
    }

    /// <summary>
    /// Checks the ledger can be read and has the layout this build writes. Enters or keeps a local hold
    /// if not; if a hold was active and the ledger is usable again, writes the episode to history
    /// (raising its condition) and lifts the hold.
    /// </summary>
    public async Task<StorageProbe> ProbeAsync(CancellationToken ct)
    {
        LedgerSnapshot? snapshot;
        try
        {
            if (!_tableReady)
            {
                await StorageTimeout.BoundAsync(store.EnsureTableAsync, _operationTimeout, ct);
                _tableReady = true;
            }
            snapshot = await BoundedAsync(store.ReadAsync, ct);
        }
        catch (Exception ex) when (IsStorageFault(ex, ct))
        {
            return new StorageProbe(false, EnterHold(ex), null, null);
        }

        if (snapshot is not null && snapshot.SchemaVersion != LedgerTableStore.CurrentSchemaVersion)
        {
            var found = snapshot.SchemaVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none";
            return new StorageProbe(true, EnterHold(ReasonCode.SchemaVersionMismatch,
                $"Ledger schema version is {found}; this build reads and writes version {LedgerTableStore.CurrentSchemaVersion}. Nothing is written until they match."), null, null);
        }

        if (snapshot is not null) Remember(snapshot.State);
        LedgerResult? episode = null;
        if (Hold is { } hold)
        {
            var now = time.GetUtcNow();
            var message = $"{hold.Message} Lasted from {hold.Since:O} to {now:O} ({(now - hold.Since).TotalSeconds:F0} s); this process refused every order meanwhile.";
            episode = await ApplyCoreAsync(new RaiseCondition(hold.Reason, SafetyMode.Halt, "system", message), ct);
            if (episode is LedgerResult.Unavailable unavailable) return new StorageProbe(false, unavailable.Hold, null, null);
            LiftHold(hold);
        }

        LedgerResult? boot = null;
        if (!_booted) boot = await ApplyCoreAsync(BootCommand(), ct);
        return new StorageProbe(true, Hold, episode, boot);
    }

    private Boot BootCommand() =>
        new(configuration.Settings.Safety.ParsedStartMode, "system", $"Process started on {Environment.MachineName} (instance {InstanceId}).",
            AllowStartLive: configuration.Settings.Safety.AllowStartLive && configuration.Settings.Deployment.Mode == DeploymentMode.Live);

    private async Task<LedgerResult> ApplyCoreAsync(SafetyCommand command, CancellationToken ct)
    {
        try
        {
            for (var attempt = 1; attempt <= MaxCommitAttempts; attempt++)
            {
                var snapshot = await BoundedAsync(store.ReadAsync, ct);
                var decision = SafetyStateMachine.Decide(snapshot?.State, command, configuration.Policy, time.GetUtcNow(), configuration.ConfigHash);
                switch (decision)
                {
                    case SafetyDecision.NoChange noChange:
                        if (command is Boot) _booted = true;
                        Remember(snapshot!.State);
                        return new LedgerResult.Unchanged(snapshot.State, noChange.Why);
                    case SafetyDecision.Rejected rejected:
                        if (snapshot is not null) Remember(snapshot.State);
                        return new LedgerResult.Rejected(snapshot?.State, rejected.Code, rejected.Why);
                    case SafetyDecision.Transition transition:
                        if (await metrics.TracedCommitAsync(transition, attempt, () => BoundedAsync(t => store.TryCommitAsync(transition, snapshot?.ETag, t), ct)))
                        {
                            if (command is Boot) _booted = true;
                            Remember(transition.Next);
                            LogTransition(transition.Record.Version, transition.Record.From?.ToWire() ?? "-", transition.Record.To.ToWire(),
                                transition.Record.Reason.ToWire(), transition.Record.Actor, transition.Record.Kind);
                            Notify(transition);
                            return new LedgerResult.Applied(transition.Next, transition.Record);
                        }
                        LogConflict(command.Kind, attempt);
                        break;
                }
            }
            throw new InvalidOperationException($"Gave up after {MaxCommitAttempts} conflicting writes to the safety ledger.");
        }
        catch (Exception ex) when (IsStorageFault(ex, ct))
        {
            return new LedgerResult.Unavailable(EnterHold(ex));
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException)
        {
            return new LedgerResult.Unavailable(EnterHold(ReasonCode.SchemaVersionMismatch, $"The ledger holds a row this build cannot read: {ex.Message}"));
        }
    }

    private void Notify(SafetyDecision.Transition transition)
    {
        if (observer is null) return;
        try
        {
            observer.Applied(transition.Record, transition.Next);
        }
        catch (Exception ex)
        {
            LogObserverFailed(ex, transition.Record.Version); // the transition stands; an observer never undoes or delays it
        }
    }

    private Task<T> BoundedAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken ct) =>
        StorageTimeout.BoundAsync(operation, _operationTimeout, ct);

    private void Remember(SafetyState state)
    {
        lock (_gate)
        {
            if (_lastKnown is null || state.Version >= _lastKnown.Version)
            {
                _lastKnown = state;
                _lastKnownAt = time.GetUtcNow();
            }
        }
    }

    private LocalHold EnterHold(Exception ex)
    {
        LogStorageFault(ex); // the stack trace, for whoever needs it: Debug only
        return EnterHold(ReasonCode.StorageUnavailable, $"Storage unreachable: {Describe(ex)}.");
    }

    private LocalHold EnterHold(ReasonCode reason, string message)
    {
        lock (_gate)
        {
            if (_hold is not null && _hold.Reason == reason)
            {
                // Same episode: keep when it began, show the latest error, count it, log nothing more.
                _hold = _hold with { Message = message };
                _failedProbes++;
                return _hold;
            }
            _hold = new LocalHold(reason, time.GetUtcNow(), message);
            _failedProbes = 1;
        }
        LogHoldEntered(reason.ToWire(), message);
        return _hold;
    }

    private void LiftHold(LocalHold hold)
    {
        long failures;
        lock (_gate)
        {
            if (!ReferenceEquals(_hold, hold)) return;
            _hold = null;
            failures = _failedProbes;
            _failedProbes = 0;
            _usableSince = time.GetUtcNow();
        }
        LogHoldLifted(hold.Reason.ToWire(), (time.GetUtcNow() - hold.Since).TotalSeconds, failures);
    }

    /// <summary>Any failure to talk to storage (not our own cancellation) means the ledger cannot be trusted right now.</summary>
    private static bool IsStorageFault(Exception ex, CancellationToken ct) =>
        ex is Azure.RequestFailedException or HttpRequestException or TimeoutException or IOException or AggregateException
        || (ex is OperationCanceledException && !ct.IsCancellationRequested);

    /// <summary>Short, secret-free description: the SDK's messages can embed request URLs, never keys.</summary>
    private static string Describe(Exception ex) => ex switch
    {
        Azure.RequestFailedException rfe when rfe.Status != 0 => $"HTTP {rfe.Status} {rfe.ErrorCode}",
        Azure.RequestFailedException rfe => rfe.InnerException?.Message ?? "no response",
        AggregateException agg => Describe(agg.InnerExceptions[0]),
        _ => ex.Message,
    };

    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Safety transition v{Version}: {From} -> {To} ({Reason}) by {Actor} [{Kind}]")]
    private partial void LogTransition(long version, string from, string to, string reason, string actor, string kind);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Warning, Message = "A ledger observer failed on transition v{Version}")]
    private partial void LogObserverFailed(Exception ex, long version);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Debug, Message = "Ledger write conflict for {Kind}, attempt {Attempt}; re-reading")]
    private partial void LogConflict(string kind, int attempt);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Safety ledger unusable, holding a local HALT ({Reason}): {Detail} Further failures are counted, not logged, until it ends.")]
    private partial void LogHoldEntered(string reason, string detail);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Safety ledger usable again; local HALT ({Reason}) lifted after {DurationSeconds:F0} s and {Failures} failed storage calls")]
    private partial void LogHoldLifted(string reason, double durationSeconds, long failures);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Debug, Message = "Storage call failed")]
    private partial void LogStorageFault(Exception ex);
}
