using HyperFunctions.Domain.Alerts;
using HyperFunctions.Domain.Safety;

namespace HyperFunctions.Domain.Checks;

/// <summary>
/// What a check found about one reason code it owns. <see cref="Holds"/> true becomes a RaiseCondition at
/// <see cref="Level"/>; false becomes a ClearCondition when the ledger has the condition, with the time the
/// check has been healthy: since the later of when it was raised, when this check last saw it hold, and
/// <see cref="HealthySince"/> (a check's own lower bound, e.g. "storage usable since", or "now" to let no
/// recovery time accrue).
/// </summary>
public sealed record ConditionVerdict(ReasonCode Reason, bool Holds, SafetyMode Level, AlertLevel AlertLevel, string Message, DateTimeOffset? HealthySince = null)
{
    public static ConditionVerdict Raise(ReasonCode reason, SafetyMode level, AlertLevel alertLevel, string message) => new(reason, true, level, alertLevel, message);

    public static ConditionVerdict Healthy(ReasonCode reason, SafetyMode level, AlertLevel alertLevel, string message, DateTimeOffset? healthySince = null) =>
        new(reason, false, level, alertLevel, message, healthySince);
}
