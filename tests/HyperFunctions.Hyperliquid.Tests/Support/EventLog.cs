using System.Threading.Channels;
using HyperFunctions.Hyperliquid.Socket;

namespace HyperFunctions.Hyperliquid.Tests.Support;

/// <summary>Drains a keeper's event channel into a list; tests wait on it with a hang guard, never sleep.</summary>
internal sealed class EventLog
{
    /// <summary>How long a wait may take before the test fails as hung (wall clock; never a synchronisation).</summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(15);

    private readonly List<HyperliquidEvent> _events = [];
    private readonly Task _pump;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public EventLog(ChannelReader<HyperliquidEvent> reader)
    {
        _pump = Task.Run(async () =>
        {
            await foreach (var evt in reader.ReadAllAsync())
            {
                TaskCompletionSource previous;
                lock (_events)
                {
                    _events.Add(evt);
                    previous = _changed;
                    _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                previous.TrySetResult();
            }

            lock (_events)
            {
                Completed = true;
                _changed.TrySetResult();
            }
        });
    }

    public bool Completed { get; private set; }

    public int Count
    {
        get
        {
            lock (_events)
            {
                return _events.Count;
            }
        }
    }

    public IReadOnlyList<HyperliquidEvent> Snapshot()
    {
        lock (_events)
        {
            return [.. _events];
        }
    }

    /// <summary>Index of the last lifecycle event of the kind (−1 if none).</summary>
    public int LastIndexOf(ConnectionEventKind kind)
    {
        var all = Snapshot();
        for (var i = all.Count - 1; i >= 0; i--)
        {
            if (all[i] is ConnectionEvent c && c.Kind == kind)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Waits for the first event at or after <paramref name="from"/> matching <paramref name="match"/>; returns its index.</summary>
    public async Task<(int Index, T Event)> WaitForAsync<T>(Func<T, bool> match, int from = 0)
        where T : HyperliquidEvent
    {
        using var guard = new CancellationTokenSource(HangGuard);
        while (true)
        {
            Task changed;
            lock (_events)
            {
                for (var i = from; i < _events.Count; i++)
                {
                    if (_events[i] is T t && match(t))
                    {
                        return (i, t);
                    }
                }

                if (Completed)
                {
                    throw new InvalidOperationException($"Event stream completed without a matching {typeof(T).Name}.");
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(guard.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Hang guard: no matching {typeof(T).Name} after index {from} within {HangGuard}. Seen: {Describe(from)}");
            }
        }
    }

    /// <summary>
    /// Waits until <paramref name="condition"/> holds, re-checking after every event. For conditions on the
    /// keeper's own state (e.g. its statistics) that change together with what it publishes.
    /// </summary>
    public async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var guard = new CancellationTokenSource(HangGuard);
        while (true)
        {
            Task changed;
            bool completed;
            lock (_events)
            {
                changed = _changed.Task;
                completed = Completed;
            }

            if (condition())
            {
                return;
            }

            if (completed)
            {
                throw new InvalidOperationException($"Event stream completed before {what}.");
            }

            try
            {
                await changed.WaitAsync(guard.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Hang guard: {what} did not happen within {HangGuard}.");
            }
        }
    }

    public Task<(int Index, ConnectionEvent Event)> WaitForAsync(ConnectionEventKind kind, int from = 0) =>
        WaitForAsync<ConnectionEvent>(c => c.Kind == kind, from);

    public Task CompletionAsync() => _pump.WaitAsync(HangGuard);

    private string Describe(int from)
    {
        var all = Snapshot();
        return string.Join(", ", all.Skip(from).TakeLast(20).Select(e => e is ConnectionEvent c ? $"{c.Kind}({c.Disconnect}{c.Delay})" : e.GetType().Name));
    }
}
