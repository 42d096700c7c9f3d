using System.Collections.Frozen;

namespace HyperFunctions.Domain.Safety;

/// <summary>
/// Which automatic recoveries are allowed. Anything not listed needs an operator.
/// </summary>
/// <param name="AutoRecoverFromHalt">Reasons whose HALT may lift to ARMED_SAFE by itself once the check has been healthy this long.</param>
/// <param name="SelfClearing">Reasons whose ARMED_SAFE may return to ARMED_LIVE by itself once healthy this long (only if the mode was ARMED_LIVE when it was raised).</param>
public sealed record SafetyPolicy(
    FrozenDictionary<ReasonCode, TimeSpan> AutoRecoverFromHalt,
    FrozenDictionary<ReasonCode, TimeSpan> SelfClearing)
{
    /// <summary>
    /// Conservative defaults: only infrastructure faults that a probe can prove healed lift HALT; only a
    /// healed WebSocket gap that stayed healthy for five minutes may return to live trading unattended.
    /// </summary>
    public static SafetyPolicy Default { get; } = new(
        new Dictionary<ReasonCode, TimeSpan>
        {
            [ReasonCode.StorageUnavailable] = TimeSpan.FromSeconds(30),
            [ReasonCode.SchemaVersionMismatch] = TimeSpan.Zero,
        }.ToFrozenDictionary(),
        new Dictionary<ReasonCode, TimeSpan>
        {
            [ReasonCode.WsHeartbeatLost] = TimeSpan.FromMinutes(5),
        }.ToFrozenDictionary());
}
