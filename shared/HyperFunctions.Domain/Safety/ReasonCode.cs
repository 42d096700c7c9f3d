namespace HyperFunctions.Domain.Safety;

/// <summary>Why the safety state is what it is. Wire names are UPPER_SNAKE (e.g. WS_HEARTBEAT_LOST).</summary>
public enum ReasonCode
{
    Boot,
    SchemaVersionMismatch,
    StorageUnavailable,
    ExecutionAdapterNotImplemented,
    ExecutionRetryBudgetExceeded,
    ReconcileDrift,
    ReconcileCritical,
    BackfillWindowExceeded,
    MaintenanceSkip,
    WsHeartbeatLost,
    MarketDataStale,
    FundingStale,
    RateLimited,
    ErrorRateHigh,
    FailoverInProgress,
    ManualHalt,
    ManualPromote,
    ManualReset,
    KillSwitch,
    /// <summary>A process started with a configuration hash other than the one the ledger carries (a deployment).</summary>
    ConfigChanged,
}

public static class ReasonCodeExtensions
{
    public static string ToWire(this ReasonCode reason) => WireNames<ReasonCode>.ToWire(reason);

    /// <summary>Codes only an operator or a process start may use; automatic checks never raise them and automatic recovery never lifts them.</summary>
    public static bool IsOperatorOnly(this ReasonCode reason) =>
        reason is ReasonCode.ManualHalt or ReasonCode.ManualPromote or ReasonCode.ManualReset or ReasonCode.KillSwitch
            or ReasonCode.Boot or ReasonCode.ConfigChanged;
}
