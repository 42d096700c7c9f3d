using HyperFunctions.Domain;
using HyperFunctions.Domain.Reconciliation;

namespace HyperFunctions.Functions.Http;

/// <summary>One stored ReconciliationCheck report (GET /api/reconciliation/{id}).</summary>
public sealed record ReconciliationReportView(
    string Id, DateTimeOffset At, DateTimeOffset VenueTime, long VenueTimeMs, string Account, string Kind, string Mode, string Verdict,
    long BaselineAsOfMs, string BaselineSource, int FillsCounted, string? LastFillKey, ReconciliationSymbolView[] Symbols, bool Adopted, string? Note, string Writer)
{
    public static ReconciliationReportView From(ReconciliationReport r) => new(
        r.Id, r.At, DateTimeOffset.FromUnixTimeMilliseconds(r.VenueTimeMs), r.VenueTimeMs, r.Account, r.Kind, r.Mode, WireNames<ReconciliationVerdict>.ToWire(r.Verdict),
        r.BaselineAsOfMs, r.BaselineSource, r.FillsCounted, r.LastFillKey,
        [.. r.Symbols.Select(s => new ReconciliationSymbolView(s.Coin, s.Venue, s.Local, s.Drift, decimal.Round(s.Relative, 10),
            WireNames<ReconciliationVerdict>.ToWire(s.Observed), WireNames<ReconciliationVerdict>.ToWire(s.Verdict), s.Streak))],
        r.Adopted, r.Note, r.Writer);
}

/// <param name="Relative">drift / max(|venue|, |local|), a ratio (0.001 = 0.1 %).</param>
/// <param name="Observed">This run on its own; <paramref name="Verdict"/> is what counts (SETTLING until seen on Reconciliation:ConfirmRuns runs in a row).</param>
public sealed record ReconciliationSymbolView(string Coin, decimal Venue, decimal Local, decimal Drift, decimal Relative, string Observed, string Verdict, int Streak);

/// <summary>The accepted baseline: venue sizes at a venue time, and how it was taken.</summary>
public sealed record ReconciliationBaselineView(IReadOnlyDictionary<string, decimal> Sizes, DateTimeOffset AsOf, long AsOfMs, string Source, string? ReportId, string Actor, DateTimeOffset TakenAt, string? FillCursor)
{
    public static ReconciliationBaselineView From(PositionBaseline b) =>
        new(b.Sizes, DateTimeOffset.FromUnixTimeMilliseconds(b.AsOfMs), b.AsOfMs, b.Source, b.ReportId, b.Actor, b.TakenAt, b.FillCursor);
}

public sealed record ReconciliationAuditView(DateTimeOffset At, string Action, string Actor, string? ReportId, string Reason, IReadOnlyDictionary<string, decimal>? Before, IReadOnlyDictionary<string, decimal> After, long AsOfMs)
{
    public static ReconciliationAuditView From(ReconciliationAudit a) => new(a.At, a.Action, a.Actor, a.ReportId, a.Reason, a.Before, a.After, a.AsOfMs);
}

/// <summary>GET /api/reconciliation/latest: the newest report (null before the first run), the baseline it is judged against, and the latest baseline changes.</summary>
public sealed record ReconciliationLatestResponse(ReconciliationReportView? Report, ReconciliationBaselineView? Baseline, ReconciliationAuditView[] Audit);

/// <summary>POST /api/reconciliation/{id}/accept: <c>accepted</c> (a new baseline and its audit record) or <c>unchanged</c> (it already is the baseline).</summary>
public sealed record ReconciliationAcceptResponse(string Result, string ReportId, ReconciliationBaselineView Baseline, string Detail);
