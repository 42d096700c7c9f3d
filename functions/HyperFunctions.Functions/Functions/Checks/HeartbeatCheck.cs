using HyperFunctions.Configuration;
using HyperFunctions.Domain.Checks;
using HyperFunctions.Functions.Checks;
using HyperFunctions.Storage.Streaming;

namespace HyperFunctions.Functions.Functions.Checks;

/// <summary>
/// Timer: is venue data arriving? Reads the keeper's heartbeat row (whichever process runs the keeper) and
/// judges it with <see cref="HeartbeatRule"/>: WS_HEARTBEAT_LOST (ARMED_SAFE) for a dead keeper, no
/// connection, or a silent subscription; REST fallback is degraded, not lost. Self-clearing per
/// Safety:SelfClearing once the feed has been healthy that long.
/// </summary>
public sealed class HeartbeatCheck(StreamFactsStore facts, LoadedConfiguration configuration) : ICheck
{
    private readonly HeartbeatThresholds _limits = new(
        TimeSpan.FromSeconds(configuration.Settings.Checks.Heartbeat.MaxDataSilenceSeconds),
        TimeSpan.FromSeconds(configuration.Settings.Checks.Heartbeat.MaxKeeperHeartbeatAgeSeconds));

    public string Name => nameof(HeartbeatCheck);

    public async Task<CheckVerdict> EvaluateAsync(CheckContext context, CancellationToken ct)
    {
        var row = await facts.ReadHeartbeatIfAnyAsync(ct);
        var heartbeat = row is null ? null
            : new HeartbeatFacts(row.WrittenAt, row.Connected, row.Source, row.LastDataAt, row.ConnectedSince, row.Leader, row.LastDisconnect);
        return HeartbeatRule.Evaluate(Name, heartbeat, context.Now, _limits);
    }
}
