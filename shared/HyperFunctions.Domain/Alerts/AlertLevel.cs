namespace HyperFunctions.Domain.Alerts;

/// <summary>
/// The operating procedures' escalation levels. Each maps to channels in configuration (Alerts:Routes);
/// an alert that stays open past Alerts:EscalateAfterSeconds moves up one level. Wire names: the numbers 1–4.
/// </summary>
public enum AlertLevel
{
    /// <summary>1: the system is recovering by itself (e.g. the keeper fell back to REST); for the record.</summary>
    AutomatedRecovery = 1,
    /// <summary>2: operations should look (connection lost, data stale, error rate high).</summary>
    Operations = 2,
    /// <summary>3: risk must decide (position drift, funding stale).</summary>
    Risk = 3,
    /// <summary>4: trading halted; wake someone.</summary>
    EmergencyHalt = 4,
}
