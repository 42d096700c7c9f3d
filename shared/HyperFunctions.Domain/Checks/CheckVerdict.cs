using HyperFunctions.Domain.Alerts;

namespace HyperFunctions.Domain.Checks;

/// <summary>
/// One run of one check: its grade, a one-line summary, a finding per reason code it owns, notices that
/// deserve an alert but no ledger change (e.g. REST fallback), and facts worth showing in status.
/// </summary>
public sealed record CheckVerdict(
    string Check,
    CheckHealth Health,
    string Summary,
    IReadOnlyList<ConditionVerdict> Conditions,
    IReadOnlyList<CheckNotice> Notices,
    IReadOnlyDictionary<string, string> Data)
{
    public static CheckVerdict Of(string check, CheckHealth health, string summary, IReadOnlyList<ConditionVerdict>? conditions = null,
        IReadOnlyList<CheckNotice>? notices = null, IReadOnlyDictionary<string, string>? data = null) =>
        new(check, health, summary, conditions ?? [], notices ?? [], data ?? new Dictionary<string, string>());
}

/// <summary>An alert-worthy finding without a ledger effect; <see cref="Active"/> false resolves it.</summary>
/// <param name="Key">Unique within the check (the alert key becomes <c>check:{check}:{Key}</c>).</param>
public sealed record CheckNotice(string Key, bool Active, AlertLevel Level, string Title, string Detail);
