using System.Diagnostics;
using System.Diagnostics.Metrics;
using HyperFunctions.Domain.Alerts;

namespace HyperFunctions.Storage.Alerts;

/// <summary>
/// The alert pipeline's metrics on the project's Meter (docs/observability.md): signals received, deliveries
/// by channel and outcome with their duration, and open alerts by level as this process last read them.
/// </summary>
public sealed class AlertMetrics
{
    private static readonly AlertLevel[] Levels = Enum.GetValues<AlertLevel>();
    private readonly Counter<long> _signals;
    private readonly Counter<long> _deliveries;
    private readonly Histogram<double> _deliveryDuration;
    private IReadOnlyDictionary<AlertLevel, int>? _open;

    public AlertMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(Ledger.LedgerMetrics.MeterName);
        _signals = meter.CreateCounter<long>("hf.alert.signals", "{signal}",
            "Alert signals this process received, by level (1-4) and active (true: the condition holds; false: it cleared).");
        _deliveries = meter.CreateCounter<long>("hf.alert.deliveries", "{delivery}",
            "Delivery attempts to alert channels, by channel, kind and outcome (delivered, retrying, failed, skipped).");
        _deliveryDuration = meter.CreateHistogram("hf.alert.delivery", "s",
            "Duration of one delivery attempt to an alert channel, by channel, kind and outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Ledger.LedgerMetrics.SecondsBuckets });
        meter.CreateObservableGauge("hf.alerts.open", ObserveOpen, "{alert}",
            "Open alerts by level, as this process last read the alerts table (absent before the first read).");
    }

    public void Signal(AlertLevel level, bool active) =>
        _signals.Add(1, new TagList { { "level", LevelTag(level) }, { "active", active ? "true" : "false" } });

    public void Delivery(string channel, string kind, string outcome, TimeSpan duration)
    {
        var tags = new TagList { { "channel", channel }, { "kind", kind }, { "outcome", outcome } };
        _deliveries.Add(1, tags);
        _deliveryDuration.Record(duration.TotalSeconds, tags);
    }

    /// <summary>The open count by level, from the status refresh.</summary>
    public void ReportOpen(IReadOnlyDictionary<AlertLevel, int> open) => Volatile.Write(ref _open, open);

    private IEnumerable<Measurement<int>> ObserveOpen()
    {
        var open = Volatile.Read(ref _open);
        if (open is null) yield break;
        foreach (var level in Levels)
            yield return new Measurement<int>(open.GetValueOrDefault(level), new KeyValuePair<string, object?>("level", LevelTag(level)));
    }

    private static string LevelTag(AlertLevel level) => level switch
    {
        AlertLevel.AutomatedRecovery => "1",
        AlertLevel.Operations => "2",
        AlertLevel.Risk => "3",
        AlertLevel.EmergencyHalt => "4",
        _ => "other",
    };
}
