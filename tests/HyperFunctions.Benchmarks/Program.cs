using BenchmarkDotNet.Running;
using HyperFunctions.Benchmarks;

// Default: every benchmark with the short in-process QuickConfig. Any BenchmarkDotNet arguments
// (--filter, --job short, --exporters ...) are honoured on top of it. --diag: one timed keeper pass;
// --keeper-storage [s]: the keeper with storage writes; --order-latency [n]: intent accepted → order at the venue.
if (args is ["--diag"])
{
    return await KeeperDiagnostics.RunAsync();
}

if (args is ["--keeper-storage", ..])
{
    return await KeeperStorageDiagnostics.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20);
}

if (args is ["--order-latency", ..])
{
    return await OrderLatencyDiagnostics.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200);
}

var switcher = BenchmarkSwitcher.FromAssembly(typeof(QuickConfig).Assembly);
var arguments = args.Length == 0 ? ["--filter", "*"] : args;
var summaries = switcher.Run(arguments, new QuickConfig());
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
