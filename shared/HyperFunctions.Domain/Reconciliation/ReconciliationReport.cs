using System.Globalization;
using System.Text.RegularExpressions;

namespace HyperFunctions.Domain.Reconciliation;

/// <summary>
/// What one ReconciliationCheck run found, as stored and served (GET /api/reconciliation/latest and by id).
/// </summary>
/// <param name="VenueTimeMs">The venue's time of the clearinghouseState answer (the local clock when the venue gave none).</param>
/// <param name="Kind"><see cref="ReportKinds"/>: a comparison, or the initial snapshot taken as the first baseline.</param>
/// <param name="BaselineAsOfMs">The baseline compared against (its venue time): a report is acceptable only against it.</param>
/// <param name="Adopted">True when this run adopted the venue as the new baseline (initial snapshot, or Mode=Auto on a confirmed drift).</param>
public sealed record ReconciliationReport(
    string Id, DateTimeOffset At, long VenueTimeMs, string Account, string Kind, string Mode, ReconciliationVerdict Verdict,
    long BaselineAsOfMs, string BaselineSource, int FillsCounted, string? LastFillKey,
    IReadOnlyList<SymbolReconciliation> Symbols, bool Adopted, string? Note, string Writer)
{
    /// <summary>The venue's sizes of this report (zero sizes left out): what accepting it adopts.</summary>
    public SortedDictionary<string, decimal> VenueSizes => PositionBaseline.Normalize(Symbols.Select(s => KeyValuePair.Create(s.Coin, s.Venue)));

    /// <summary>Each symbol's streak, for the next run against the same baseline.</summary>
    public IReadOnlyDictionary<string, int> Streaks => Symbols.ToDictionary(s => s.Coin, s => s.Streak, StringComparer.Ordinal);
}

public static class ReportKinds
{
    public const string Comparison = "comparison";
    public const string InitialSnapshot = "initial-snapshot";
}

/// <summary>
/// Report ids: 19 digits of inverted UTC ticks, a dash and 8 hex digits, e.g. <c>2516925135999999999-1a2b3c4d</c>.
/// They sort newest first as table row keys, and say when they were made.
/// </summary>
public static partial class ReportIds
{
    public static string For(DateTimeOffset at, string suffix)
    {
        ArgumentNullException.ThrowIfNull(suffix);
        if (!Suffix().IsMatch(suffix)) throw new ArgumentException("The suffix must be 8 lower-case hex digits.", nameof(suffix));
        return (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "-" + suffix;
    }

    public static bool IsWellFormed(string? id) => id is not null && Pattern().IsMatch(id);

    [GeneratedRegex("^[0-9]{19}-[0-9a-f]{8}$")]
    private static partial Regex Pattern();

    [GeneratedRegex("^[0-9a-f]{8}$")]
    private static partial Regex Suffix();
}

/// <summary>One change of the baseline, kept for the audit trail.</summary>
/// <param name="Action"><see cref="BaselineSources"/>: initial, accepted or auto.</param>
public sealed record ReconciliationAudit(
    DateTimeOffset At, string Action, string Actor, string? ReportId, string Reason,
    IReadOnlyDictionary<string, decimal>? Before, IReadOnlyDictionary<string, decimal> After, long AsOfMs);
