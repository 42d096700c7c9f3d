namespace HyperFunctions.Simulator.Core;

/// <summary>
/// A level-triggered "something changed" signal: waiters re-evaluate their condition after every pulse,
/// so tests synchronise on real state instead of sleeping.
/// </summary>
internal sealed class ChangeSignal
{
    private TaskCompletionSource _next = NewSource();

    public void Pulse() => Interlocked.Exchange(ref _next, NewSource()).TrySetResult();

    public async Task WaitUntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(condition);
        while (true)
        {
            var pulse = Volatile.Read(ref _next).Task;
            if (condition())
            {
                return;
            }

            await pulse.WaitAsync(cancellationToken);
        }
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
