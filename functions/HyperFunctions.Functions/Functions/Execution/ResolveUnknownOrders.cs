using HyperFunctions.Functions.Execution;
using HyperFunctions.Functions.Hosting;

namespace HyperFunctions.Functions.Functions.Execution;

/// <summary>
/// Timer (every 15 s): asks the venue by cloid about every UNKNOWN intent and every SENDING one left stale, until
/// known (see <see cref="UnknownOrderResolver"/>). Under the Functions host the host runs it; in self-host mode the
/// TimerScheduler does, one replica at a time.
/// </summary>
public sealed class ResolveUnknownOrders(UnknownOrderResolver resolver) : ITimerFunction
{
    public string Name => nameof(ResolveUnknownOrders);

    public async Task<string> RunAsync(TimerInvocation invocation, CancellationToken ct) =>
        (await resolver.RunAsync(ct)).ToString();
}
