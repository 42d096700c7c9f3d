using HyperFunctions.Configuration;
using HyperFunctions.Domain.Checks;
using HyperFunctions.Domain.Reconciliation;
using HyperFunctions.Functions.Checks;
using HyperFunctions.Functions.Http;
using HyperFunctions.Functions.Telemetry;
using HyperFunctions.Hyperliquid.Rest;
using HyperFunctions.Storage;
using HyperFunctions.Storage.Processes;
using HyperFunctions.Storage.Reconciliation;
using HyperFunctions.Storage.Streaming;

namespace HyperFunctions.Functions.Functions.Checks;

/// <summary>
/// Timer: venue positions (clearinghouseState) against the local book, the accepted baseline plus the own
/// account's fills the keeper stored since (<see cref="PositionBook"/>, <see cref="ReconciliationRule"/>).
/// The first run takes the venue as the baseline. Every run stores a report (GET /api/reconciliation/…);
/// with Reconciliation:Mode=Auto a confirmed DRIFT (never CRITICAL) adopts the venue as the new baseline
/// with an audit record, and the condition is still raised for that run. docs/checks.md.
/// </summary>
public sealed class ReconciliationCheck(
    ReconciliationStore store, StreamFactsStore facts, IHyperliquidInfoClient venue, ReconciliationMetrics metrics, ProcessIdentity self,
    LoadedConfiguration configuration) : ICheck
{
    private readonly ReconciliationSettings _settings = configuration.Settings.Reconciliation;
    private readonly string? _account = configuration.Settings.Reconciliation.EffectiveAccount(configuration.Settings.Keeper);
    private readonly TimeSpan _budget = TimeSpan.FromSeconds(configuration.Settings.Storage.OperationTimeoutSeconds);
    private readonly ReconciliationThresholds _limits = new(
        configuration.Settings.Reconciliation.DriftRatio, configuration.Settings.Reconciliation.MinAbsoluteDrift,
        configuration.Settings.Reconciliation.CriticalRatio, configuration.Settings.Reconciliation.ConfirmRuns);

    public string Name => nameof(ReconciliationCheck);

    public async Task<CheckVerdict> EvaluateAsync(CheckContext context, CancellationToken ct)
    {
        if (_account is null)
            return CheckVerdict.Of(Name, CheckHealth.Degraded, "no account to reconcile: set Reconciliation:Account or Keeper:Accounts (the own account first)");

        var stored = await Bound(t => store.ReadBaselineAsync(t), ct);
        // The venue first, then the fills: a fill the keeper stores after the venue answered is past the venue's time and not counted.
        var state = await venue.GetClearinghouseStateAsync(_account, ct);
        var venueTime = state.Time ?? context.Now.ToUnixTimeMilliseconds();
        var venueSizes = PositionBaseline.Normalize(state.AssetPositions.Select(p => KeyValuePair.Create(p.Position.Coin, p.Position.Szi)));
        var cursor = await Bound(t => facts.ReadCursorIfAnyAsync(_account, t), ct);
        var fillCursor = cursor?.LastKey is { Length: > 0 } key ? key : null; // the keeper writes an empty key before the first fill
        var reportId = ReportIds.For(context.Now, Guid.NewGuid().ToString("N")[..8]);

        if (stored is null)
        {
            var initial = new PositionBaseline(venueSizes, venueTime, BaselineSources.Initial, reportId, Name, context.Now, fillCursor);
            var audit = new ReconciliationAudit(context.Now, BaselineSources.Initial, Name, reportId, "No baseline yet: the venue snapshot is the first baseline.", null, venueSizes, venueTime);
            if (await Bound(t => store.TryCreateBaselineAsync(initial, audit, t), ct))
            {
                var outcome = ReconciliationRule.Compare(venueSizes, venueSizes, [], _limits, new Dictionary<string, int>());
                var report = Report(reportId, context.Now, venueTime, ReportKinds.InitialSnapshot, outcome, initial, 0, null, adopted: true,
                    "First run: the venue snapshot was taken as the baseline (audit record 'initial').");
                return await PublishAsync(report, outcome, ct);
            }
            stored = await Bound(t => store.ReadBaselineAsync(t), ct)
                ?? throw new InvalidOperationException("The reconciliation baseline was created by another writer but cannot be read.");
        }

        var baseline = stored.Baseline;
        var fills = await Bound(t => facts.ReadFillsSinceIfAnyAsync(_account, baseline.AsOfMs, t), ct);
        var book = PositionBook.Compute(baseline, fills.Select(f => new BookFill(f.Coin, f.Sz, f.Side == "B", f.Time, f.Key)), venueTime);
        var previous = await Bound(t => store.ReadLatestReportAsync(t), ct);
        var streaks = previous is not null && previous.BaselineAsOfMs == baseline.AsOfMs && previous.Account == _account
            ? previous.Streaks : new Dictionary<string, int>();
        var shown = baseline.Sizes.Keys.Concat(fills.Where(f => f.Time > baseline.AsOfMs && f.Time <= venueTime).Select(f => f.Coin)).Distinct(StringComparer.Ordinal);
        var result = ReconciliationRule.Compare(venueSizes, book.Sizes, shown, _limits, streaks);

        var adopt = _settings.Mode == ReconciliationMode.Auto && result.Verdict == ReconciliationVerdict.Drift;
        var note = result.Verdict switch
        {
            ReconciliationVerdict.Drift when adopt => "Mode=Auto: the venue sizes are adopted as the new baseline (audit record 'auto'); the next run compares against them.",
            ReconciliationVerdict.Drift => "Mode=Manual: accept this report (POST /api/reconciliation/{id}/accept) to adopt the venue sizes.",
            ReconciliationVerdict.Critical => "CRITICAL is never adopted automatically: an operator accepts the report after investigating, then resets the HALT.",
            _ => null,
        };
        var draft = Report(reportId, context.Now, venueTime, ReportKinds.Comparison, result, baseline, book.FillsCounted, book.LastFillKey, adopted: false, note);
        if (!adopt) return await PublishAsync(draft, result, ct);

        await Bound(t => store.WriteReportAsync(draft, t), ct); // the audit record names it: store it first
        var next = new PositionBaseline(venueSizes, venueTime, BaselineSources.Auto, reportId, Name, context.Now, fillCursor);
        var adoption = new ReconciliationAudit(context.Now, BaselineSources.Auto, Name, reportId,
            "Reconciliation:Mode=Auto adopted the venue after a confirmed drift: " + ReconciliationRule.Describe(result.With(ReconciliationVerdict.Drift)),
            baseline.Sizes, venueSizes, venueTime);
        var adopted = await Bound(t => store.TryReplaceBaselineAsync(next, stored.ETag, adoption, t), ct);
        var final = draft with
        {
            Adopted = adopted,
            Note = adopted ? note : "Mode=Auto: not adopted, the baseline changed meanwhile (an operator accepted a report?); the next run compares against the new one.",
        };
        return await PublishAsync(final, result, ct);
    }

    private ReconciliationReport Report(string id, DateTimeOffset at, long venueTime, string kind, ReconciliationOutcome outcome, PositionBaseline baseline,
        int fillsCounted, string? lastFillKey, bool adopted, string? note) =>
        new(id, at, venueTime, _account!, kind, _settings.Mode.ToString(), outcome.Verdict, baseline.AsOfMs, baseline.Source, fillsCounted, lastFillKey,
            outcome.Symbols, adopted, note, self.ProcessId);

    private async Task<CheckVerdict> PublishAsync(ReconciliationReport report, ReconciliationOutcome outcome, CancellationToken ct)
    {
        string? storeProblem = null;
        try
        {
            await Bound(t => store.WriteReportAsync(report, t), ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // The finding stands (the ledger must see it); the report is what is lost, and the summary says so.
            storeProblem = $"The report could not be stored: {ex.GetType().Name}: {SafeText.Display(ex.Message, 160)}.";
        }
        metrics.Reported(report);
        var data = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["account"] = report.Account,
            ["mode"] = report.Mode,
            ["baselineSource"] = report.BaselineSource,
            ["baselineAsOfMs"] = report.BaselineAsOfMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["adopted"] = report.Adopted ? "true" : "false",
        };
        var note = string.Join(" ", new[] { report.Note, storeProblem }.Where(s => s is not null));
        return ReconciliationRule.ToVerdict(Name, report.Id, outcome, data, note.Length == 0 ? null : note);
    }

    private Task<T> Bound<T>(Func<CancellationToken, Task<T>> operation, CancellationToken ct) => StorageTimeout.BoundAsync(operation, _budget, ct);

    private Task Bound(Func<CancellationToken, Task> operation, CancellationToken ct) => StorageTimeout.BoundAsync(operation, _budget, ct);
}
