using System.Diagnostics;
using System.Diagnostics.Metrics;
using HyperFunctions.Domain.Safety;

namespace HyperFunctions.Storage.Ledger;

/// <summary>
/// The ledger's metrics and its commit span, on the project's Meter and ActivitySource ("HyperFunctions",
/// see docs/observability.md). Counted where the commit happens, so each process counts what it wrote.
/// </summary>
public sealed class LedgerMetrics
{
    public const string MeterName = "HyperFunctions";

    /// <summary>The project's ActivitySource; the commit span is "safety.ledger.commit".</summary>
    public static readonly ActivitySource Source = new(MeterName);

    private readonly Counter<long> _transitions;
    private readonly Histogram<double> _commitDuration;
    private long _conflicts;

    public LedgerMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _transitions = meter.CreateCounter<long>("hf.safety.transitions", "{transition}",
            "Transitions this process committed to the safety ledger, by from, to, reason and kind.");
        _commitDuration = meter.CreateHistogram("hf.ledger.commit.duration", "s",
            "Duration of one ETag-guarded ledger transaction, by outcome (committed, conflict, error).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        // Observable, so the series exists (at 0) from the start: a rate over it is 0 rather than absent.
        meter.CreateObservableCounter("hf.ledger.commit.conflicts", () => Interlocked.Read(ref _conflicts), "{conflict}",
            "Commits refused because another writer changed the state row first (412/409); the command is re-decided.");
    }

    /// <summary>Histogram bounds for durations in seconds, 1 ms to 30 s.</summary>
    public static IReadOnlyList<double> SecondsBuckets { get; } = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    internal void Committed(SafetyTransition record, TimeSpan duration)
    {
        _commitDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", "committed"));
        _transitions.Add(1,
            new KeyValuePair<string, object?>("from", record.From?.ToWire() ?? "NONE"),
            new KeyValuePair<string, object?>("to", record.To.ToWire()),
            new KeyValuePair<string, object?>("reason", record.Reason.ToWire()),
            new KeyValuePair<string, object?>("kind", record.Kind));
    }

    internal void Conflict(TimeSpan duration)
    {
        _commitDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", "conflict"));
        Interlocked.Increment(ref _conflicts);
    }

    internal void Failed(TimeSpan duration) =>
        _commitDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", "error"));
}

/// <summary>The one call <see cref="SafetyLedger"/> makes around a commit: span, duration, outcome.</summary>
public static class LedgerTelemetry
{
    /// <summary>
    /// Runs <paramref name="commit"/> inside a "safety.ledger.commit" span tagged with the transition's
    /// version, from, to, reason, kind and actor, and records its duration and outcome. Works with no
    /// metrics (tests that build the ledger by hand) and with no listener (no span is created).
    /// </summary>
    public static async Task<bool> TracedCommitAsync(this LedgerMetrics? metrics, SafetyDecision.Transition transition, int attempt, Func<Task<bool>> commit)
    {
        ArgumentNullException.ThrowIfNull(transition);
        ArgumentNullException.ThrowIfNull(commit);
        var record = transition.Record;
        using var activity = LedgerMetrics.Source.StartActivity("safety.ledger.commit");
        if (activity is not null)
        {
            activity.SetTag("hf.safety.version", record.Version);
            activity.SetTag("hf.safety.from", record.From?.ToWire() ?? "NONE");
            activity.SetTag("hf.safety.to", record.To.ToWire());
            activity.SetTag("hf.safety.reason", record.Reason.ToWire());
            activity.SetTag("hf.safety.kind", record.Kind);
            activity.SetTag("hf.safety.actor", record.Actor);
            activity.SetTag("hf.ledger.attempt", attempt);
        }
        var started = Stopwatch.GetTimestamp();
        try
        {
            var committed = await commit();
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (committed) metrics?.Committed(record, elapsed);
            else metrics?.Conflict(elapsed);
            activity?.SetTag("hf.ledger.outcome", committed ? "committed" : "conflict");
            return committed;
        }
        catch (Exception ex)
        {
            metrics?.Failed(Stopwatch.GetElapsedTime(started));
            activity?.SetTag("hf.ledger.outcome", "error");
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
    }
}
