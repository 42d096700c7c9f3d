using HyperFunctions.Configuration;
using HyperFunctions.Domain.Alerts;
using HyperFunctions.Domain.Checks;
using HyperFunctions.Domain.Safety;
using HyperFunctions.Functions.Telemetry;
using HyperFunctions.Storage;
using HyperFunctions.Storage.Checks;
using HyperFunctions.Storage.Ledger;
using HyperFunctions.Storage.Processes;

namespace HyperFunctions.Functions.Checks;

/// <summary>
/// The one place a verdict takes effect: ledger commands (as <see cref="VerdictPlan"/> decides them), the
/// stored result row, the in-memory board status reads, the alert signals and the check metrics. No check
/// talks to the ledger or the alert pipeline its own way. Storage or alert failures are logged as one
/// episode each and never hide the verdict from the caller.
/// </summary>
public sealed partial class VerdictPublisher(
    SafetyLedger ledger, CheckResultStore store, CheckBoard board, IAlertSink alerts, CheckMetrics metrics, ProcessIdentity self,
    LoadedConfiguration configuration, TimeProvider time, ILogger<VerdictPublisher> logger)
{
    private readonly TimeSpan _budget = TimeSpan.FromSeconds(configuration.Settings.Storage.OperationTimeoutSeconds);
    private readonly FailureEpisode _resultWrites = new("Check result write", logger, time);
    private readonly FailureEpisode _alertSignals = new("Alert signal", logger, time);

    public async Task<CheckPublication> PublishAsync(CheckVerdict verdict, CheckContext context, TimeSpan duration, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        ArgumentNullException.ThrowIfNull(context);
        var previous = await PreviousAsync(verdict.Check, ct);
        var now = time.GetUtcNow();
        var plan = VerdictPlan.For(verdict, previous, ledger.LastKnown, now);

        var outcomes = new List<string>();
        foreach (var command in plan.Commands)
        {
            var result = await ledger.ApplyAsync(command, ct);
            if (Describe(command, result) is { } line) outcomes.Add(line);
        }

        var stored = CheckResult.Next(previous, verdict, context.Now, context.Trigger, duration, self.ProcessId);
        board.Set(stored);
        try
        {
            await StorageTimeout.BoundAsync(t => store.WriteAsync(stored, t), _budget, ct);
            _resultWrites.Succeeded();
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            _resultWrites.Failed(ex);
        }

        foreach (var signal in plan.Alerts)
        {
            try
            {
                await StorageTimeout.BoundAsync(t => alerts.SignalAsync(signal, t), _budget, ct);
                _alertSignals.Succeeded();
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                _alertSignals.Failed(ex);
            }
        }

        metrics.Ran(stored);
        if (verdict.Health != CheckHealth.Healthy || outcomes.Count > 0)
            LogPublished(verdict.Check, stored.Health.ToString(), verdict.Summary, outcomes.Count == 0 ? "none" : string.Join("; ", outcomes));
        return new CheckPublication(stored, outcomes);
    }

    private async Task<CheckResult?> PreviousAsync(string check, CancellationToken ct)
    {
        if (board.Get(check) is { } known) return known;
        try
        {
            // First run in this process: the last run may have been another replica's.
            return await StorageTimeout.BoundAsync(t => store.ReadAsync(check, t), _budget, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            _resultWrites.Failed(ex);
            return null;
        }
    }

    /// <summary>A line per command that did something or was refused; a repeat raise ("already active") says nothing.</summary>
    private static string? Describe(SafetyCommand command, LedgerResult result)
    {
        var what = command switch
        {
            RaiseCondition r => $"raise {r.Reason.ToWire()}",
            ClearCondition c => $"clear {c.Reason.ToWire()}",
            _ => command.Kind,
        };
        return result switch
        {
            LedgerResult.Applied a => $"{what}: applied (now {a.State.Mode.ToWire()}, version {a.State.Version})",
            LedgerResult.Unchanged when command is RaiseCondition => null,
            LedgerResult.Unchanged u => $"{what}: {u.Why}",
            LedgerResult.Rejected r => $"{what}: refused ({r.Code}: {r.Why})",
            LedgerResult.Unavailable u => $"{what}: ledger unavailable ({u.Hold.Message})",
            _ => $"{what}: {result}",
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Check {Check}: {Health}: {Summary}; ledger: {Ledger}")]
    private partial void LogPublished(string check, string health, string summary, string ledger);
}

/// <summary>What one published run left: the stored result and one line per ledger command that did something.</summary>
public sealed record CheckPublication(CheckResult Result, IReadOnlyList<string> LedgerOutcomes)
{
    public string Summary => LedgerOutcomes.Count == 0
        ? $"{Result.Health.ToString().ToLowerInvariant()}: {Result.Summary}"
        : $"{Result.Health.ToString().ToLowerInvariant()}: {Result.Summary}; {string.Join("; ", LedgerOutcomes)}";
}
