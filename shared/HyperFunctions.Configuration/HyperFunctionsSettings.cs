using HyperFunctions.Domain.Safety;
using HyperFunctions.Hyperliquid.Configuration;

namespace HyperFunctions.Configuration;

/// <summary>
/// The non-secret settings, bound from the settings file plus environment overrides (Section__Key).
/// Everything here is covered by the config hash; secrets live in <see cref="HyperFunctionsSecrets"/>.
/// </summary>
public sealed class HyperFunctionsSettings
{
    public DeploymentSettings Deployment { get; set; } = new();
    public StorageSettings Storage { get; set; } = new();
    public SafetySettings Safety { get; set; } = new();
    public ApiSettings Api { get; set; } = new();
    public HostingSettings Hosting { get; set; } = new();

    /// <summary>Venue endpoints and client settings; null when the section is absent (nothing talks to the venue yet).</summary>
    public HyperliquidOptions? Hyperliquid { get; set; }
}

public enum DeploymentMode
{
    /// <summary>Development defaults allowed (Azurite).</summary>
    Local,
    /// <summary>Every secret must be given explicitly.</summary>
    Live,
}

public sealed class DeploymentSettings
{
    public DeploymentMode Mode { get; set; } = DeploymentMode.Local;
    public string InstanceId { get; set; } = "default";
}

public sealed class StorageSettings
{
    public string? AccountName { get; set; }
    public string LedgerTable { get; set; } = "SafetyLedger";
    public string LeaseContainer { get; set; } = "hf-leases";
    public string ProcessTable { get; set; } = "HfProcesses";
    public int OperationTimeoutSeconds { get; set; } = 5;
    public int ProbeIntervalSeconds { get; set; } = 5;
}

public sealed class SafetySettings
{
    public string StartMode { get; set; } = "ARMED_SAFE";

    /// <summary>Must be true (with Deployment:Mode=Live) for StartMode ARMED_LIVE to be accepted.</summary>
    public bool AllowStartLive { get; set; }

    /// <summary>Reason (wire name) → seconds healthy before HALT lifts to ARMED_SAFE. Null means the built-in defaults.</summary>
    public Dictionary<string, int>? AutoRecoverFromHalt { get; set; }

    /// <summary>Reason (wire name) → seconds healthy before ARMED_SAFE returns to ARMED_LIVE. Null means the built-in defaults.</summary>
    public Dictionary<string, int>? SelfClearing { get; set; }

    [System.Text.Json.Serialization.JsonIgnore]
    public SafetyMode ParsedStartMode => Domain.WireNames<SafetyMode>.Parse(StartMode);
}

public sealed class ApiSettings
{
    public int MaxHistoryPageSize { get; set; } = 500;

    /// <summary>GET /api/status lists the processes seen within this many seconds.</summary>
    public int ProcessWindowSeconds { get; set; } = 300;
}

public sealed class HostingSettings
{
    public bool RunTimers { get; set; } = true;
    public bool RunQueues { get; set; } = true;
    public int TimerLeaseSeconds { get; set; } = 30;
}
