using System.Collections.Concurrent;

namespace HyperFunctions.Functions.Hosting;

/// <summary>
/// Wakes this process's self-host <see cref="QueueListener"/> of a queue when a function of the same process
/// has just put a message on it, so the listener does not sit out its poll back-off (up to host.json
/// maxPollingInterval) while intents arrive. Under the Functions host nobody waits on it: the host's own
/// polling applies there, and a nudge costs one dictionary lookup.
/// </summary>
public sealed class QueueNudge
{
    private readonly ConcurrentDictionary<string, Signal> _signals = new(StringComparer.Ordinal);

    /// <summary>Tells a listener waiting on <paramref name="queueName"/> to poll now.</summary>
    public void Nudge(string queueName)
    {
        if (_signals.TryGetValue(queueName, out var signal)) signal.Pulse();
    }

    /// <summary>A task that completes at the first nudge of the queue after this call (take it before polling, so a nudge during the poll is not missed).</summary>
    public Task NextAsync(string queueName) => _signals.GetOrAdd(queueName, static _ => new Signal()).Next;

    private sealed class Signal
    {
        private readonly Lock _gate = new();
        private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Next
        {
            get
            {
                lock (_gate) return _next.Task;
            }
        }

        public void Pulse()
        {
            TaskCompletionSource fired;
            lock (_gate)
            {
                fired = _next;
                _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            fired.TrySetResult();
        }
    }
}
