using Microsoft.Extensions.Logging;

namespace HyperFunctions.Storage;

/// <summary>
/// Tells a run of failures of one recurring operation (a timer's lease, a queue's poll, a registry refresh)
/// as one story: one warning with the cause in one line when it starts, nothing more while it lasts (the
/// failures are counted; each stack trace goes to Debug), one line with its duration when it ends.
/// A storage outage of a minute then costs a handful of log lines, not one stack trace per attempt.
/// </summary>
public sealed partial class FailureEpisode(string operation, ILogger logger, TimeProvider time)
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _since;
    private long _failures;

    /// <summary>Failures in the current episode (0 when healthy).</summary>
    public long Failures { get { lock (_gate) return _failures; } }

    public void Failed(Exception ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        bool started;
        lock (_gate)
        {
            started = _since is null;
            _since ??= time.GetUtcNow();
            _failures++;
        }
        if (started) LogStarted(operation, OneLine(ex));
        LogFailureDetail(ex, operation);
    }

    public void Succeeded()
    {
        DateTimeOffset since;
        long failures;
        lock (_gate)
        {
            if (_since is not { } s) return;
            (since, failures) = (s, _failures);
            (_since, _failures) = (null, 0);
        }
        LogEnded(operation, (time.GetUtcNow() - since).TotalSeconds, failures);
    }

    /// <summary>The cause in one short line: the SDK's messages run to many lines of headers.</summary>
    public static string OneLine(Exception ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        var message = ex switch
        {
            Azure.RequestFailedException { Status: not 0 } rfe => $"HTTP {rfe.Status} {rfe.ErrorCode}",
            Azure.RequestFailedException { InnerException: { } inner } => inner.Message,
            AggregateException { InnerExceptions.Count: > 0 } agg => null,
            _ => ex.Message,
        };
        if (message is null) return OneLine(((AggregateException)ex).InnerExceptions[0]);
        var firstLine = message.Split('\n', 2)[0].Trim().TrimEnd('.');
        return $"{ex.GetType().Name}: {(firstLine.Length > 200 ? firstLine[..200] + "…" : firstLine)}";
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "{Operation} failing: {Cause}. Further failures are counted, not logged, until it recovers.")]
    private partial void LogStarted(string operation, string cause);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "{Operation} recovered after {DurationSeconds:F0} s and {Failures} failures")]
    private partial void LogEnded(string operation, double durationSeconds, long failures);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Debug, Message = "{Operation} failed")]
    private partial void LogFailureDetail(Exception ex, string operation);
}
