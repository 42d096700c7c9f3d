using Microsoft.Extensions.Time.Testing;

namespace HyperFunctions.TestSupport;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also knows which timers are pending and signals every timer
/// change, so a test can advance exactly to the next delay the code under test is waiting on instead
/// of sleeping. Timers further away than a horizon (timeouts armed during real I/O) are never jumped to.
/// </summary>
public sealed class DrivenTime : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<TrackedTimer> _timers = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public DrivenTime(DateTimeOffset? start = null)
    {
        Fake = new FakeTimeProvider(start ?? new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    }

    public FakeTimeProvider Fake { get; }

    public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();

    public override long GetTimestamp() => Fake.GetTimestamp();

    public override long TimestampFrequency => Fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => Fake.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var tracked = new TrackedTimer(this);
        tracked.Start(Fake, callback, state, dueTime, period);
        return tracked;
    }

    public void Advance(TimeSpan by) => Fake.Advance(by);

    /// <summary>Runs <paramref name="work"/> to completion, advancing to each pending timer due within <paramref name="horizon"/>.</summary>
    /// <param name="limit">
    /// The most the clock may move in this drive. The driver does not wait for real I/O between two timers, so a periodic
    /// timer of the code under test carries the clock onwards while a request is in flight; a limit below the timeouts
    /// that must not fire (a hook's, a request's) keeps them from firing however slow the machine is.
    /// </param>
    public async Task<T> DriveAsync<T>(Task<T> work, TimeSpan horizon, TimeSpan hangGuard, TimeSpan? limit = null)
    {
        await DriveAsync((Task)work, horizon, hangGuard, limit);
        return await work;
    }

    /// <inheritdoc cref="DriveAsync{T}"/>
    public async Task DriveAsync(Task work, TimeSpan horizon, TimeSpan hangGuard, TimeSpan? limit = null)
    {
        var start = GetUtcNow();
        var end = limit is { } l ? start + l : DateTimeOffset.MaxValue;
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                changed = _changed.Task;
            }

            if (work.IsCompleted)
            {
                return;
            }

            var now = GetUtcNow();
            var due = NextDue(now, horizon);
            if (due is { } d && d <= end)
            {
                Fake.Advance(d - now);
                continue;
            }

            try
            {
                await Task.WhenAny(work, changed).WaitAsync(hangGuard);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"The driven work did not finish within {hangGuard} of real time. {Describe(start, end)}");
            }
        }
    }

    /// <summary>Where the clock stands and which timers are pending: what a hung drive was waiting for.</summary>
    private string Describe(DateTimeOffset start, DateTimeOffset end)
    {
        var now = GetUtcNow();
        lock (_lock)
        {
            var pending = _timers.Select(t => t.Due).OfType<DateTimeOffset>().Order().Select(d => $"+{(d - now).TotalSeconds:0.###} s");
            return $"The clock moved {(now - start).TotalSeconds:0.###} s in this drive{(end == DateTimeOffset.MaxValue ? "" : $" (limit {(end - start).TotalSeconds:0.###} s)")}; " +
                $"pending timers from now: {string.Join(", ", pending)}.";
        }
    }

    private DateTimeOffset? NextDue(DateTimeOffset now, TimeSpan horizon)
    {
        lock (_lock)
        {
            DateTimeOffset? best = null;
            foreach (var t in _timers)
            {
                // A timer already due has fired (or is firing): only future ones are worth advancing to.
                if (t.Due is { } d && d > now && d <= now + horizon && (best is null || d < best))
                {
                    best = d;
                }
            }

            return best;
        }
    }

    private void Changed(TrackedTimer timer, bool remove)
    {
        lock (_lock)
        {
            if (remove)
            {
                _timers.Remove(timer);
            }
            else if (!_timers.Contains(timer))
            {
                _timers.Add(timer);
            }

            _changed.TrySetResult();
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    private sealed class TrackedTimer(DrivenTime owner) : ITimer
    {
        private ITimer? _inner;
        private TimeSpan _period;

        public DateTimeOffset? Due { get; private set; }

        public void Start(FakeTimeProvider fake, TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Schedule(dueTime, period);
            _inner = fake.CreateTimer(
                s =>
                {
                    Due = _period > TimeSpan.Zero && _period != Timeout.InfiniteTimeSpan ? owner.GetUtcNow() + _period : null;
                    owner.Changed(this, remove: Due is null);
                    callback(s);
                },
                state,
                dueTime,
                period);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Schedule(dueTime, period);
            return _inner!.Change(dueTime, period);
        }

        public void Dispose()
        {
            Due = null;
            owner.Changed(this, remove: true);
            _inner?.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }

        private void Schedule(TimeSpan dueTime, TimeSpan period)
        {
            _period = period;
            Due = dueTime == Timeout.InfiniteTimeSpan ? null : owner.GetUtcNow() + dueTime;
            owner.Changed(this, remove: Due is null);
        }
    }
}
