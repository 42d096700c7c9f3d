using System.Collections.Immutable;

namespace HyperFunctions.Domain.Safety;

/// <summary>The current safety state of one trading instance (the ledger's state row).</summary>
/// <param name="Mode">What the gate allows.</param>
/// <param name="Reason">Why the mode is what it is.</param>
/// <param name="Message">Human explanation of the last transition.</param>
/// <param name="Actor">Who made the last transition (check name, operator, system).</param>
/// <param name="Since">When the current mode/reason was entered.</param>
/// <param name="UpdatedAt">When the last version was written.</param>
/// <param name="Version">Ledger version; equals the number of history rows.</param>
/// <param name="ConfigHash">Config hash in force at the last transition.</param>
/// <param name="Conditions">Automatic conditions still active.</param>
public sealed record SafetyState(
    SafetyMode Mode,
    ReasonCode Reason,
    string Message,
    string Actor,
    DateTimeOffset Since,
    DateTimeOffset UpdatedAt,
    long Version,
    string ConfigHash,
    ImmutableArray<SafetyCondition> Conditions)
{
    public SafetyCondition? FindCondition(ReasonCode reason) => Conditions.FirstOrDefault(c => c.Reason == reason);
}
