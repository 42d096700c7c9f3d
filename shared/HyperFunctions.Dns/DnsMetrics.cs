using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace HyperFunctions.Dns;

/// <summary>
/// The DNS switch's metrics on the project's Meter <c>HyperFunctions</c> (the literal, as Storage and Hyperliquid use it, so
/// this library needs no OpenTelemetry): switches by provider and outcome, and how long propagation took.
/// </summary>
public sealed class DnsMetrics
{
    /// <summary>The project's one Meter name (HyperFunctions.Telemetry.HyperFunctionsDiagnostics.MeterName).</summary>
    public const string MeterName = "HyperFunctions";

    private static readonly double[] PropagationBuckets = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 900];
    private readonly Counter<long> _switches;
    private readonly Histogram<double> _propagation;

    public DnsMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _switches = meter.CreateCounter<long>("hf.dns.switch", "{switch}",
            "DNS switches run by this process, by provider and outcome (switched, already_current, propagation_timeout, failed).");
        _propagation = meter.CreateHistogram("hf.dns.propagation", "s",
            "Time from the start of a DNS verification until every nameserver answered the new content (matched) or the timeout passed (timed_out), by provider and outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = PropagationBuckets });
    }

    public void Switch(string provider, DnsSwitchOutcome outcome) =>
        _switches.Add(1, new TagList { { "provider", provider }, { "outcome", OutcomeTag(outcome) } });

    public void Propagation(string provider, bool matched, TimeSpan elapsed) =>
        _propagation.Record(elapsed.TotalSeconds, new TagList { { "provider", provider }, { "outcome", matched ? "matched" : "timed_out" } });

    public static string OutcomeTag(DnsSwitchOutcome outcome) => outcome switch
    {
        DnsSwitchOutcome.Switched => "switched",
        DnsSwitchOutcome.AlreadyCurrent => "already_current",
        DnsSwitchOutcome.PropagationTimedOut => "propagation_timeout",
        _ => "failed",
    };
}
