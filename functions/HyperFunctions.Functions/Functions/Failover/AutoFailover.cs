using HyperFunctions.Domain.Alerts;
using HyperFunctions.Domain.Failover;
using HyperFunctions.Functions.Failover;
using HyperFunctions.Functions.Hosting;

namespace HyperFunctions.Functions.Functions.Failover;

/// <summary>
/// Timer (every 10 s, on the replica holding the timer's lease): first adopts a run that died holding the
/// coordinator (resume or roll back); then, with Failover:Automatic on and the primary active, fails over
/// when a critical probe of the primary has been unhealthy past its failure threshold — subject to the
/// cooldown and the daily cap. A refusal is recorded in history and alerted once per episode (and again
/// when its reason changes), so a flapping primary is visible; the alert resolves when the probes recover.
/// </summary>
public sealed partial class AutoFailover(FailoverCoordinator coordinator, FailoverConfig config, SiteHealth sites, IAlertSink alerts, TimeProvider time, ILogger<AutoFailover> logger) : ITimerFunction
{
    public const string Actor = "automatic";
    public const string RefusedAlertKey = "failover:automatic-refused";

    private readonly Lock _gate = new();
    private string? _refusedFor;

    public string Name => nameof(AutoFailover);

    public async Task<string> RunAsync(TimerInvocation invocation, CancellationToken ct)
    {
        if (!config.Enabled) return "Failover is not configured.";
        var recovered = await coordinator.RecoverAbandonedAsync(Actor, ct);
        var prefix = recovered is null ? "" : $"Recovered run {recovered}. ";
        if (!config.Automatic) return prefix + "Automatic failover is off (Failover:Automatic).";
        var (record, _) = await coordinator.ReadAsync(ct);
        if (record.State != FailoverState.Primary || record.Run is not null) return prefix + $"Nothing to do in {record.State.ToWire()}.";

        var unhealthy = sites.UnhealthyCritical(record.ActiveSite);
        if (unhealthy.Count == 0)
        {
            if (Swap(null) is not null)
            {
                await SignalAsync(new AlertSignal(RefusedAlertKey, AlertLevel.Operations, false, "Automatic failover no longer needed",
                    $"The critical probes of {record.ActiveSite} are healthy again.", "failover", time.GetUtcNow()), ct);
            }
            return prefix + $"The critical probes of {record.ActiveSite} are healthy.";
        }

        var why = string.Join("; ", unhealthy.Select(p => $"{p.Name} unhealthy since {p.UnhealthySince:O} ({p.ConsecutiveFailures} failures: {p.LastError})"));
        var request = new FailoverRequest(FailoverKind.Failover, $"Critical probe(s) of {record.ActiveSite} unhealthy: {why}", Actor, DryRun: false, Force: false, Automatic: true);
        var outcome = await coordinator.RunAsync(request, ct);
        switch (outcome)
        {
            case FailoverOutcome.Ran ran:
                Swap(null);
                return prefix + $"Failed over: run {ran.RunId} {ran.Outcome.ToWire()}; active site {ran.ActiveSite}.";
            case FailoverOutcome.Refused refused:
                var key = $"{refused.Code}:{refused.NextAllowedAt:O}";
                if (Swap(key) != key)
                {
                    // Once per episode and reason: the timer asks every tick, history and the pager hear it once.
                    await coordinator.RecordRefusalAsync(request, refused, ct);
                    LogRefused(refused.Code, refused.Message);
                    await SignalAsync(new AlertSignal(RefusedAlertKey, AlertLevel.Operations, true, $"Automatic failover refused: {refused.Code}",
                        $"{refused.Message} Needed because: {why}", "failover", time.GetUtcNow()), ct);
                }
                return prefix + $"Refused: {refused.Code}: {refused.Message}";
            default:
                return prefix + "Unexpected outcome.";
        }
    }

    private string? Swap(string? next)
    {
        lock (_gate)
        {
            var before = _refusedFor;
            _refusedFor = next;
            return before;
        }
    }

    private async Task SignalAsync(AlertSignal signal, CancellationToken ct)
    {
        try
        {
            await alerts.SignalAsync(signal, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            LogAlertFailed(Storage.FailureEpisode.OneLine(ex));
        }
    }

    [LoggerMessage(EventId = 2121, Level = LogLevel.Warning, Message = "Automatic failover refused: {Code}: {Message}")]
    private partial void LogRefused(string code, string message);

    [LoggerMessage(EventId = 2122, Level = LogLevel.Warning, Message = "Could not signal the automatic-failover alert: {Error}")]
    private partial void LogAlertFailed(string error);
}
