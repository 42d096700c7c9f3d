using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace HyperFunctions.Benchmarks;

/// <summary>
/// The default, deliberately short run: in-process (no child build), 1 launch, 2 warm-ups, 5 measured
/// iterations. Pass <c>--job short</c> (or medium/long) for BenchmarkDotNet's standard jobs instead.
/// </summary>
internal sealed class QuickConfig : ManualConfig
{
    public QuickConfig()
    {
        Add(DefaultConfig.Instance);
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(2)
            .WithIterationCount(5)
            .WithId("quick"));
        AddColumn(StatisticColumn.OperationsPerSecond);
    }
}
