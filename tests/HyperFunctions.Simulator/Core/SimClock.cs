namespace HyperFunctions.Simulator.Core;

/// <summary>The simulator's only notion of time: everything reads the configured <see cref="TimeProvider"/>.</summary>
internal sealed class SimClock(TimeProvider provider)
{
    public TimeProvider Provider { get; } = provider;

    public DateTimeOffset Now => Provider.GetUtcNow();

    public long NowMs => Provider.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>A delay on the simulator clock (a FakeTimeProvider only completes it when advanced).</summary>
    public Task Delay(TimeSpan delay, CancellationToken cancellationToken) =>
        delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, Provider, cancellationToken);
}
