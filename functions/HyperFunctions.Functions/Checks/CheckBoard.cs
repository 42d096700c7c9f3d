using HyperFunctions.Configuration;
using HyperFunctions.Domain.Checks;
using HyperFunctions.Storage;
using HyperFunctions.Storage.Checks;
using HyperFunctions.Functions.Hosting;

namespace HyperFunctions.Functions.Checks;

/// <summary>
/// Every check's last result as this process knows it, for GET /api/status (memory only, never waits on
/// storage). Runs published here land at once; runs by another replica (the one holding a timer's lease)
/// arrive with the background refresh every Storage:ProbeIntervalSeconds. The newer result wins.
/// </summary>
public sealed class CheckBoard(CheckResultStore store, LoadedConfiguration configuration, TimeProvider time, ILogger<CheckBoard> logger)
    : MemoryRefresher("Check results refresh", configuration, time, logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, CheckResult> _results = new(StringComparer.OrdinalIgnoreCase);
    private DateTimeOffset? _refreshedAt;

    public DateTimeOffset? RefreshedAt { get { lock (_gate) return _refreshedAt; } }

    public CheckResult? Get(string check)
    {
        lock (_gate) return _results.GetValueOrDefault(check);
    }

    public IReadOnlyList<CheckResult> All()
    {
        lock (_gate) return [.. _results.Values.OrderBy(r => r.Check, StringComparer.Ordinal)];
    }

    public void Set(CheckResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        lock (_gate)
        {
            if (_results.TryGetValue(result.Check, out var known) && known.RanAt > result.RanAt) return;
            _results[result.Check] = result;
        }
    }

    protected override async Task RefreshOnceAsync(CancellationToken ct)
    {
        foreach (var result in await StorageTimeout.BoundAsync(store.ReadAllAsync, Budget, ct)) Set(result);
        lock (_gate) _refreshedAt = Time.GetUtcNow();
    }
}
