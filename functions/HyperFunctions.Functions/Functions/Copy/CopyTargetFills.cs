using HyperFunctions.Functions.Copy;
using HyperFunctions.Functions.Hosting;

namespace HyperFunctions.Functions.Functions.Copy;

/// <summary>
/// Timer (every second; a batch runs at most every CopyTrading:PollIntervalSeconds): new fills of the copy
/// target become mirrored intents of the own account, exactly once (see <see cref="CopyTrader"/>). Disabled →
/// returns at once without touching storage or the venue.
/// </summary>
public sealed class CopyTargetFills(CopyTrader copier) : ITimerFunction
{
    public string Name => nameof(CopyTargetFills);

    public Task<string> RunAsync(TimerInvocation invocation, CancellationToken ct) => copier.TickAsync(ct);
}
