using HyperFunctions.Domain.ServiceHealth;
using HyperFunctions.Storage;

namespace HyperFunctions.Functions.ServiceHealth;

/// <summary>
/// Runs every configured probe on its own interval, concurrently, and keeps their state in memory (the
/// pure <see cref="ProbeState"/> machine). Each run is bounded by the probe's timeout (the token, and a
/// hard bound for a probe that ignores it), so a slow or hanging target never delays another probe or
/// the probe's own next run. Every process runs its own monitor: status and GET /api/health/checks answer
/// from this memory at once; the ServiceHealthCheck timer (on the replica holding the timer's lease)
/// turns it into a verdict. One log story per episode: a warning when a probe turns unhealthy, one line
/// when it is healthy again.
/// </summary>
public sealed partial class ServiceHealthMonitor : BackgroundService
{
    private readonly IReadOnlyList<ServiceProbe> _probes;
    private readonly TimeProvider _time;
    private readonly ServiceHealthMetrics _metrics;
    private readonly ILogger<ServiceHealthMonitor> _logger;
    private readonly IHostApplicationLifetime? _lifetime;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ProbeState> _states = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="lifetime">When given, the first runs wait until the app has started (its own routes answer), so a probe of this process does not fail once at start.</param>
    public ServiceHealthMonitor(IReadOnlyList<ServiceProbe> probes, TimeProvider time, ServiceHealthMetrics metrics, ILogger<ServiceHealthMonitor> logger,
        IHostApplicationLifetime? lifetime = null)
    {
        ArgumentNullException.ThrowIfNull(probes);
        ArgumentNullException.ThrowIfNull(metrics);
        _probes = probes;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _lifetime = lifetime;
        foreach (var probe in probes)
        {
            var initial = ProbeState.Initial(probe.Spec);
            _states[probe.Spec.Name] = initial;
            metrics.Track(initial);
        }
    }

    public IReadOnlyList<ServiceProbe> Probes => _probes;

    /// <summary>Every probe's state, by name.</summary>
    public IReadOnlyList<ProbeState> States()
    {
        lock (_gate) return [.. _states.Values.OrderBy(s => s.Name, StringComparer.Ordinal)];
    }

    public ProbeState? Find(string probe)
    {
        lock (_gate) return _states.GetValueOrDefault(probe);
    }

    public ServiceHealthReport Report() => ServiceHealthReport.From(States());

    /// <summary>Completes when the next probe run has been recorded (take it before looking at the state, then await it).</summary>
    public Task Changed
    {
        get { lock (_gate) return _changed.Task; }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_probes.Count == 0) return;
        if (_lifetime is { } lifetime && !lifetime.ApplicationStarted.IsCancellationRequested)
        {
            using var started = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStarted, stoppingToken);
            try { await Task.Delay(Timeout.Infinite, started.Token); }
            catch (OperationCanceledException) { }
            if (stoppingToken.IsCancellationRequested) return;
        }
        // Task.Run: a probe that blocks synchronously (the OS process list) never holds up another's loop.
        await Task.WhenAll(_probes.Select(p => Task.Run(() => LoopAsync(p, stoppingToken), CancellationToken.None)));
    }

    private async Task LoopAsync(ServiceProbe probe, CancellationToken ct)
    {
        // Start to start: the timeout is shorter than the interval, so a run never overlaps the next.
        using var timer = new PeriodicTimer(probe.Spec.Interval, _time);
        try
        {
            do
            {
                await RunOnceAsync(probe, ct);
            }
            while (await timer.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>One run of one probe, recorded. Never throws for the probe's failure; only for <paramref name="ct"/>.</summary>
    public async Task<ProbeState> RunOnceAsync(ServiceProbe probe, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var spec = probe.Spec;
        var at = _time.GetUtcNow();
        var started = _time.GetTimestamp();
        string? error = null;
        using (var limit = new CancellationTokenSource(spec.Timeout, _time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, limit.Token))
        {
            try
            {
                await probe.Action.RunAsync(linked.Token).WaitAsync(spec.Timeout, _time, ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested && (limit.IsCancellationRequested || ex is TimeoutException))
            {
                error = $"timed out after {spec.Timeout.TotalSeconds:F0} s";
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                error = Describe(ex);
            }
        }
        var duration = _time.GetElapsedTime(started);
        var outcome = error is null ? ProbeOutcome.Success(at, duration) : ProbeOutcome.Failure(at, duration, error);
        return Record(spec.Name, outcome);
    }

    private ProbeState Record(string name, ProbeOutcome outcome)
    {
        ProbeState before, after;
        TaskCompletionSource changed;
        lock (_gate)
        {
            before = _states[name];
            after = before.Record(outcome);
            _states[name] = after;
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        _metrics.Recorded(after, outcome);
        if (before.FlippedTo(after))
        {
            if (after.Healthy)
                LogHealthyAgain(name, ((outcome.At - (before.UnhealthySince ?? outcome.At)).TotalSeconds));
            else
                LogUnhealthy(name, after.Spec.Critical, after.ConsecutiveFailures, after.LastError ?? "");
        }
        else if (!outcome.Succeeded)
        {
            LogFailed(name, after.ConsecutiveFailures, after.Spec.FailureThreshold, after.LastError ?? "");
        }
        changed.TrySetResult();
        return after;
    }

    /// <summary>The cause in one short line without secrets (URLs lose query strings and user info).</summary>
    private static string Describe(Exception ex) => ProbeText.Scrub(ex switch
    {
        ProbeFailedException => ex.Message,
        _ => FailureEpisode.OneLine(ex),
    });

    [LoggerMessage(EventId = 1601, Level = LogLevel.Warning, Message = "Service probe {Probe} (critical: {Critical}) is unhealthy after {Failures} consecutive failures: {Error}")]
    private partial void LogUnhealthy(string probe, bool critical, int failures, string error);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Information, Message = "Service probe {Probe} is healthy again after {UnhealthySeconds:F0} s")]
    private partial void LogHealthyAgain(string probe, double unhealthySeconds);

    [LoggerMessage(EventId = 1603, Level = LogLevel.Debug, Message = "Service probe {Probe} failed ({Failures} of {Threshold}): {Error}")]
    private partial void LogFailed(string probe, int failures, int threshold, string error);
}
