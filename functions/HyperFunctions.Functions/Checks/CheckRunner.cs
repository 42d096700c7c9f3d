using System.Diagnostics;
using HyperFunctions.Configuration;
using HyperFunctions.Domain.Alerts;
using HyperFunctions.Domain.Checks;
using HyperFunctions.Functions.Http;

namespace HyperFunctions.Functions.Checks;

/// <summary>
/// Runs one check the same way whatever triggered it (timer or POST /api/checks/{name}/run): gives it
/// Checks:TimeoutSeconds, turns a throw or an overrun into an unhealthy verdict (no ledger change: a check
/// that cannot see does not guess; it alerts at level 2 that it is blind), and hands the verdict to the
/// publisher. Never throws for a check's own failure.
/// </summary>
public sealed partial class CheckRunner(VerdictPublisher publisher, LoadedConfiguration configuration, TimeProvider time, ILogger<CheckRunner> logger)
{
    private readonly TimeSpan _timeout = TimeSpan.FromSeconds(configuration.Settings.Checks.TimeoutSeconds);

    public async Task<CheckPublication> RunAsync(ICheck check, string trigger, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(check);
        var context = new CheckContext(time.GetUtcNow(), trigger);
        var started = Stopwatch.GetTimestamp();
        CheckVerdict verdict;
        using (var limit = new CancellationTokenSource(_timeout, time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, limit.Token))
        {
            try
            {
                verdict = await check.EvaluateAsync(context, linked.Token);
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                verdict = Blind(check.Name, $"did not finish within {_timeout.TotalSeconds:F0} s (Checks:TimeoutSeconds)");
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                LogCheckFailed(check.Name, ex.GetType().Name, SafeText.Display(ex.Message, 300));
                LogCheckFailedDetail(check.Name, ex);
                verdict = Blind(check.Name, $"failed: {ex.GetType().Name}: {SafeText.Display(ex.Message, 300)}");
            }
        }
        return await publisher.PublishAsync(verdict, context, Stopwatch.GetElapsedTime(started), ct);
    }

    /// <summary>The verdict of a check that could not look: unhealthy, no condition findings (the ledger keeps what it has), one notice.</summary>
    private static CheckVerdict Blind(string check, string why) =>
        CheckVerdict.Of(check, CheckHealth.Unhealthy, $"Check {why}",
            notices: [new CheckNotice("check-failing", true, AlertLevel.Operations, $"{check} cannot evaluate", $"{check} {why}. The safety state keeps what it has until the check can look again.")]);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Check {Check} failed: {ExceptionType}: {Detail}")]
    private partial void LogCheckFailed(string check, string exceptionType, string detail);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Check {Check} failure detail")]
    private partial void LogCheckFailedDetail(string check, Exception exception);
}
