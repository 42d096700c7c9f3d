using System.Diagnostics.Metrics;
using HyperFunctions.Configuration;
using HyperFunctions.Domain.Checks;

namespace HyperFunctions.Functions.Checks;

/// <summary>
/// Counts this process's venue REST attempts (hf.venue.requests) and API requests (hf.http.requests) into a
/// sliding window for the ErrorRateCheck, by listening to the process's own meters (only those of this
/// app's meter factory, so two apps in one test process do not mix). Errors: venue answers 4xx other than
/// 429 (rate limits are the RATE_LIMITED condition's business), 5xx, timeouts and no answer; API 5xx.
/// </summary>
public sealed class RequestOutcomes : IDisposable
{
    private const string VenueRequests = "hf.venue.requests";
    private const string ApiRequests = "hf.http.requests";

    private readonly Lock _gate = new();
    private readonly OutcomeWindow _window;
    private readonly MeterListener _listener = new();
    private readonly TimeProvider _time;

    public RequestOutcomes(IMeterFactory meters, LoadedConfiguration configuration, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _time = time;
        var window = TimeSpan.FromSeconds(configuration.Settings.Checks.ErrorRate.WindowSeconds);
        _window = new OutcomeWindow(window, TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, window.Ticks / 60)));
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name is VenueRequests or ApiRequests && ReferenceEquals(instrument.Meter.Scope, meters)) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.Start();
    }

    public TimeSpan Window => _window.Window;

    public (long Requests, long Errors) Totals()
    {
        lock (_gate) return _window.Totals(_time.GetUtcNow());
    }

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? status = null;
        foreach (var tag in tags)
        {
            if (tag.Key == "status") status = tag.Value?.ToString();
        }
        var error = instrument.Name == VenueRequests ? IsVenueError(status) : int.TryParse(status, out var code) && code >= 500;
        lock (_gate) _window.Record(_time.GetUtcNow(), error, value);
    }

    private static bool IsVenueError(string? status) =>
        status is "timeout" or "error" || (int.TryParse(status, out var code) && code >= 400 && code != 429);

    public void Dispose() => _listener.Dispose();
}
