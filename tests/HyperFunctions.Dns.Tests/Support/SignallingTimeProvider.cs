using Microsoft.Extensions.Time.Testing;

namespace HyperFunctions.Dns.Tests.Support;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that says when code starts waiting on it: a timer created with a due time up to
/// <see cref="SignalUpTo"/> releases <see cref="TimerCreated"/>, so a test advances the clock only once the verifier is
/// actually waiting between rounds (no sleeps, no races). Longer timers are not signalled: the provider requests' attempt
/// timeouts (the resilience pipeline runs on the same injected clock) must not count as a verifier's wait.
/// </summary>
public sealed class SignallingTimeProvider : TimeProvider
{
    public FakeTimeProvider Fake { get; } = new(new DateTimeOffset(2026, 11, 23, 16, 0, 0, TimeSpan.Zero));

    public SemaphoreSlim TimerCreated { get; } = new(0);

    public TimeSpan SignalUpTo { get; set; } = TimeSpan.FromSeconds(60);

    public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();

    public override long GetTimestamp() => Fake.GetTimestamp();

    public override long TimestampFrequency => Fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => Fake.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = Fake.CreateTimer(callback, state, dueTime, period);
        if (dueTime > TimeSpan.Zero && dueTime <= SignalUpTo) TimerCreated.Release();
        return timer;
    }

    /// <summary>
    /// Runs <paramref name="work"/> to its end, advancing the clock by <paramref name="step"/> each time it waits;
    /// <paramref name="onWait"/> sees how many waits happened so far (1 for the first) before the clock moves.
    /// </summary>
    public async Task<T> DriveAsync<T>(Task<T> work, TimeSpan step, Action<int>? onWait = null)
    {
        var waits = 0;
        while (true)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2)); // a hang fails the test instead of the run
            var waiting = TimerCreated.WaitAsync(timeout.Token);
            var first = await Task.WhenAny(work, waiting);
            if (first == work)
            {
                return await work;
            }
            await waiting;
            waits++;
            onWait?.Invoke(waits);
            Fake.Advance(step);
        }
    }
}
