using HyperFunctions.Storage;
using HyperFunctions.Functions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace HyperFunctions.Functions.Tests;

public sealed class FailureEpisodeTests
{
    [Fact]
    public void A_run_of_failures_is_one_warning_and_one_recovery_line_with_stack_traces_only_at_debug()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var logs = new FakeLogCollector();
        var episode = new FailureEpisode("Timer StorageHealthCheck", new FakeLogger(logs), time);

        episode.Succeeded(); // healthy: says nothing
        for (var i = 0; i < 20; i++)
        {
            episode.Failed(new Azure.RequestFailedException(0, "Connection refused (127.0.0.1:10000)\nHeaders:\n x-ms-request-id: 1", new HttpRequestException("Connection refused (127.0.0.1:10000)")));
            time.Advance(TimeSpan.FromSeconds(3));
        }
        Assert.Equal(20, episode.Failures);
        episode.Succeeded();
        episode.Succeeded();

        var visible = logs.GetSnapshot().Where(r => r.Level >= LogLevel.Information).ToList();
        Assert.Equal(2, visible.Count);
        Assert.Equal(LogLevel.Warning, visible[0].Level);
        Assert.Equal("Timer StorageHealthCheck failing: RequestFailedException: Connection refused (127.0.0.1:10000). Further failures are counted, not logged, until it recovers.", visible[0].Message);
        Assert.Equal("Timer StorageHealthCheck recovered after 60 s and 20 failures", visible[1].Message);
        Assert.All(visible, r => Assert.Null(r.Exception));
        Assert.Equal(20, logs.GetSnapshot().Count(r => r.Level == LogLevel.Debug && r.Exception is not null));
        Assert.Equal(0, episode.Failures);
    }

    [Fact]
    public void A_new_failure_after_recovery_starts_a_new_episode()
    {
        var logs = new FakeLogCollector();
        var episode = new FailureEpisode("Polling queue q", new FakeLogger(logs), new FakeTimeProvider());
        episode.Failed(new TimeoutException("storage did not answer within 5 s"));
        episode.Succeeded();
        episode.Failed(new TimeoutException("again"));
        var warnings = logs.GetSnapshot().Where(r => r.Level == LogLevel.Warning).Select(r => r.Message).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.StartsWith("Polling queue q failing: TimeoutException: again.", warnings[1], StringComparison.Ordinal);
    }
}
