using HyperFunctions.Functions.Hosting;

namespace HyperFunctions.Functions.Checks;

/// <summary>A check as a timer function: its function.json holds the schedule; the runner does the rest.</summary>
public sealed class CheckTimerFunction(ICheck check, CheckRunner runner) : ITimerFunction
{
    public string Name => check.Name;

    public async Task<string> RunAsync(TimerInvocation invocation, CancellationToken ct) =>
        (await runner.RunAsync(check, "timer", ct)).Summary;
}
