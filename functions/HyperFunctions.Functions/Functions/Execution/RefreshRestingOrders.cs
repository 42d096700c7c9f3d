using HyperFunctions.Functions.Execution;
using HyperFunctions.Functions.Hosting;

namespace HyperFunctions.Functions.Functions.Execution;

/// <summary>
/// Timer (every 30 s): asks the venue by cloid about intents recorded RESTING or ACCEPTED and writes back what it did
/// with them meanwhile — filled, cancelled by scheduleCancel, margin, a manual or another process's cancel (see
/// <see cref="RestingOrderRefresher"/>). Under the Functions host the host runs it; in self-host mode the TimerScheduler
/// does, one replica at a time.
/// </summary>
public sealed class RefreshRestingOrders(RestingOrderRefresher refresher) : ITimerFunction
{
    public string Name => nameof(RefreshRestingOrders);

    public async Task<string> RunAsync(TimerInvocation invocation, CancellationToken ct) =>
        (await refresher.RunAsync(ct)).ToString();
}
