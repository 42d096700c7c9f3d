using System.Globalization;
using HyperFunctions.Domain.Alerts;
using HyperFunctions.Domain.Checks;
using HyperFunctions.Domain.Safety;

namespace HyperFunctions.Domain.Reconciliation;

/// <summary>A symbol's (or a report's) finding, worst last. Wire names: OK, SETTLING, DRIFT, CRITICAL.</summary>
public enum ReconciliationVerdict
{
    Ok = 0,
    /// <summary>A difference seen on fewer consecutive runs than Reconciliation:ConfirmRuns: maybe a fill in flight; no ledger change yet.</summary>
    Settling = 1,
    Drift = 2,
    Critical = 3,
}

/// <param name="DriftRatio">Relative drift above this (and above <paramref name="MinAbsoluteDrift"/>) is DRIFT (default 0.001 = 0.1 %).</param>
/// <param name="MinAbsoluteDrift">An absolute difference at or below this is no difference at all, at every level.</param>
/// <param name="CriticalRatio">Relative drift above this is CRITICAL; so is a symbol held on one side only.</param>
/// <param name="ConfirmRuns">Consecutive runs a difference must be seen on before it counts (1 = at once).</param>
public sealed record ReconciliationThresholds(decimal DriftRatio, decimal MinAbsoluteDrift, decimal CriticalRatio, int ConfirmRuns)
{
    public static ReconciliationThresholds Default { get; } = new(0.001m, 0m, 0.05m, 2);
}

/// <summary>One symbol of a report.</summary>
/// <param name="Drift">|venue − local|.</param>
/// <param name="Relative">Drift / max(|venue|, |local|); 0 when both are 0.</param>
/// <param name="Observed">What this run saw on its own.</param>
/// <param name="Verdict">What counts: <paramref name="Observed"/> once it has held <see cref="ReconciliationThresholds.ConfirmRuns"/> runs in a row, else SETTLING.</param>
/// <param name="Streak">Consecutive runs (this one included) that saw a difference for this symbol.</param>
public sealed record SymbolReconciliation(string Coin, decimal Venue, decimal Local, decimal Drift, decimal Relative, ReconciliationVerdict Observed, ReconciliationVerdict Verdict, int Streak);

public sealed record ReconciliationOutcome(IReadOnlyList<SymbolReconciliation> Symbols, ReconciliationVerdict Verdict)
{
    public IEnumerable<SymbolReconciliation> With(ReconciliationVerdict verdict) => Symbols.Where(s => s.Verdict == verdict);
}

/// <summary>
/// Venue positions against the local book (docs/checks.md, ReconciliationCheck). Decimal arithmetic
/// throughout; every coin held on either side is compared (a coin flat on both sides is OK and shown
/// only when the baseline or a fill named it).
/// </summary>
public static class ReconciliationRule
{
    public const string SymbolDataPrefix = "symbol.";

    /// <summary>One symbol on its own: OK, DRIFT or CRITICAL (never SETTLING).</summary>
    public static ReconciliationVerdict Classify(decimal venue, decimal local, ReconciliationThresholds limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var (drift, relative) = Measure(venue, local);
        if (drift == 0m || drift <= limits.MinAbsoluteDrift) return ReconciliationVerdict.Ok;
        if (venue == 0m || local == 0m) return ReconciliationVerdict.Critical; // held on one side only
        if (relative > limits.CriticalRatio) return ReconciliationVerdict.Critical;
        return relative > limits.DriftRatio ? ReconciliationVerdict.Drift : ReconciliationVerdict.Ok;
    }

    public static (decimal Drift, decimal Relative) Measure(decimal venue, decimal local)
    {
        var drift = Math.Abs(venue - local);
        var scale = Math.Max(Math.Abs(venue), Math.Abs(local));
        return (drift, scale == 0m ? 0m : drift / scale);
    }

    /// <summary>
    /// Compares every coin named on either side. <paramref name="previousStreaks"/>: each coin's streak in
    /// the previous report against the same baseline (empty after a new baseline), so a difference must
    /// be seen on <see cref="ReconciliationThresholds.ConfirmRuns"/> consecutive runs before it counts.
    /// </summary>
    public static ReconciliationOutcome Compare(
        IReadOnlyDictionary<string, decimal> venue, IReadOnlyDictionary<string, decimal> local, IEnumerable<string> alsoShow,
        ReconciliationThresholds limits, IReadOnlyDictionary<string, int> previousStreaks)
    {
        ArgumentNullException.ThrowIfNull(venue);
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(previousStreaks);
        var coins = new SortedSet<string>(venue.Keys.Concat(local.Keys).Concat(alsoShow ?? []), StringComparer.Ordinal);
        var symbols = new List<SymbolReconciliation>();
        foreach (var coin in coins)
        {
            var v = venue.GetValueOrDefault(coin);
            var l = local.GetValueOrDefault(coin);
            var (drift, relative) = Measure(v, l);
            var observed = Classify(v, l, limits);
            var streak = observed == ReconciliationVerdict.Ok ? 0 : previousStreaks.GetValueOrDefault(coin) + 1;
            var verdict = observed == ReconciliationVerdict.Ok || streak >= limits.ConfirmRuns ? observed : ReconciliationVerdict.Settling;
            symbols.Add(new SymbolReconciliation(coin, v, l, drift, relative, observed, verdict, streak));
        }
        return new ReconciliationOutcome(symbols, symbols.Count == 0 ? ReconciliationVerdict.Ok : symbols.Max(s => s.Verdict));
    }

    /// <summary>
    /// The check's verdict for one report: RECONCILE_DRIFT (ARMED_SAFE, alert level 3) while a symbol is at
    /// DRIFT, RECONCILE_CRITICAL (HALT, alert level 4) while one is CRITICAL; both healthy otherwise, so the
    /// publisher clears what the ledger holds. SETTLING is degraded: no ledger change.
    /// </summary>
    /// <param name="note">What else happened on this run (e.g. the baseline adopted), appended to the summary and messages.</param>
    public static CheckVerdict ToVerdict(string check, string reportId, ReconciliationOutcome outcome, IReadOnlyDictionary<string, string> data, string? note = null)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(data);
        var drift = outcome.With(ReconciliationVerdict.Drift).ToList();
        var critical = outcome.With(ReconciliationVerdict.Critical).ToList();
        var settling = outcome.With(ReconciliationVerdict.Settling).ToList();
        var suffix = $" Report {reportId}." + (note is null ? "" : " " + note);
        var conditions = new List<ConditionVerdict>
        {
            drift.Count > 0
                ? ConditionVerdict.Raise(ReasonCode.ReconcileDrift, SafetyMode.ArmedSafe, AlertLevel.Risk, "Position drift: " + Describe(drift) + suffix)
                : ConditionVerdict.Healthy(ReasonCode.ReconcileDrift, SafetyMode.ArmedSafe, AlertLevel.Risk, "No position drift above the threshold." + suffix),
            critical.Count > 0
                ? ConditionVerdict.Raise(ReasonCode.ReconcileCritical, SafetyMode.Halt, AlertLevel.EmergencyHalt, "Critical position discrepancy: " + Describe(critical) + suffix)
                : ConditionVerdict.Healthy(ReasonCode.ReconcileCritical, SafetyMode.Halt, AlertLevel.EmergencyHalt, "No critical position discrepancy." + suffix),
        };
        var all = new Dictionary<string, string>(data, StringComparer.Ordinal)
        {
            ["reportId"] = reportId,
            ["verdict"] = WireNames<ReconciliationVerdict>.ToWire(outcome.Verdict),
        };
        foreach (var s in outcome.Symbols) all[SymbolDataPrefix + s.Coin] = WireNames<ReconciliationVerdict>.ToWire(s.Verdict);

        var (health, summary) = outcome.Verdict switch
        {
            ReconciliationVerdict.Critical => (CheckHealth.Unhealthy, "CRITICAL: " + Describe(critical) + (drift.Count > 0 ? "; DRIFT: " + Describe(drift) : "")),
            ReconciliationVerdict.Drift => (CheckHealth.Unhealthy, "DRIFT: " + Describe(drift)),
            ReconciliationVerdict.Settling => (CheckHealth.Degraded, "settling (seen on fewer runs in a row than Reconciliation:ConfirmRuns): " + Describe(settling)),
            _ => (CheckHealth.Healthy, $"{outcome.Symbols.Count(s => s.Venue != 0m)} venue position(s) match the local book"),
        };
        return CheckVerdict.Of(check, health, summary + "." + suffix, conditions, data: all);
    }

    /// <summary>A size as a reader writes it: invariant, no trailing zeros ("0.002", "-1.5", "0").</summary>
    public static string Plain(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);

    public static string Describe(IEnumerable<SymbolReconciliation> symbols) =>
        string.Join(", ", symbols.Select(s => string.Create(CultureInfo.InvariantCulture,
            $"{s.Coin} venue {Plain(s.Venue)} local {Plain(s.Local)} (drift {Plain(s.Drift)}, {Plain(decimal.Round(s.Relative * 100m, 4))} %{(s.Venue == 0m || s.Local == 0m ? ", one side only" : "")})")));
}
