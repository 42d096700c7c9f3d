using HyperFunctions.Configuration;
using HyperFunctions.Functions.Checks;
using HyperFunctions.Functions.Copy;
using HyperFunctions.Functions.Execution;
using HyperFunctions.Functions.Functions.Checks;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Functions.Http;
using HyperFunctions.Functions.ServiceHealth;
using HyperFunctions.Storage.Ledger;
using HyperFunctions.Storage.Processes;

namespace HyperFunctions.Functions.Functions;

/// <summary>
/// GET /api/status — the one page an operator reads. Answers from this process's memory, never from
/// storage, so it is instant even while storage hangs: the safety state as last read or written (kept
/// fresh by the prober; a local hold shows as HALT) with its age, storage health, the processes seen,
/// the venue stream and markets, every check's last run and the service probes.
/// </summary>
public sealed class GetStatus : IHttpFunction
{
    public string Name => nameof(GetStatus);

    public RouteHandlerBuilder Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/status", (SafetyLedger ledger, ProcessRegistry registry, LoadedConfiguration config, HostingInfo hosting, StreamFactsSource stream,
            CheckBoard checks, IEnumerable<ICheck> registered, ServiceHealthMonitor services, AlertsStatusSource alerts, ExecutionMonitor execution, ExecutionAdapterChoice adapter,
            KillSwitchMonitor killSwitch, CopyTradingMonitor copy, HyperFunctions.Functions.Failover.FailoverConfig failover, HyperFunctions.Functions.Failover.FailoverMemory failoverMemory, TimeProvider time) =>
        {
            var now = time.GetUtcNow();
            var memory = ledger.Remembered;
            var (streamView, markets) = stream.View(now);
            var staleBooks = CoinsFlagged(checks, nameof(StalenessCheck));
            var staleFunding = CoinsFlagged(checks, nameof(FundingDelayCheck));
            var marked = markets.ToDictionary(kv => kv.Key, kv => kv.Value with
            {
                Stale = staleBooks?.Contains(kv.Key),
                FundingStale = staleFunding?.Contains(kv.Key),
            }, StringComparer.Ordinal);
            return Results.Ok(new StatusResponse(
                ledger.InstanceId,
                hosting.Name,
                config.ConfigHash,
                SafetyView.From(memory.Effective),
                StorageView.From(memory, now),
                ProcessesView.From(registry, memory.Effective.Ledger?.ConfigHash, now,
                    failover.Enabled ? failoverMemory.Snapshot().Record?.ActiveSite ?? failover.Primary : null),
                streamView,
                marked,
                ChecksView.From(registered.Select(c => c.Name), checks.All(), checks.RefreshedAt, now) with
                {
                    Services = ServiceHealthView.From(services.Report(), now),
                },
                alerts.View(now),
                ExecutionViewOf(config, adapter, execution, killSwitch),
                CopyTradingView.From(config.Settings.CopyTrading, config.Settings.Execution.Mode, copy.Snapshot()),
                FailoverStatusView.From(failover, failoverMemory, now)));
        });

    private static ExecutionView ExecutionViewOf(LoadedConfiguration config, ExecutionAdapterChoice adapter, ExecutionMonitor execution, KillSwitchMonitor killSwitch)
    {
        var stored = execution.Storage;
        return new ExecutionView(config.Settings.Execution.Mode, adapter.Configured, adapter.Adapter is not null, execution.InFlight, execution.UnknownCount, execution.Last,
            stored?.QueueDepth, stored?.UnknownOpen, stored?.SendingOpen, stored?.BudgetExceededOpen, config.Settings.Execution.RetryBudgetMode, stored?.ReadAt,
            killSwitch.Last is { } run ? KillSwitchView.Of(run) : null, stored?.RestingOpen, stored?.AcceptedOpen,
            execution.LastRestingRefresh is { } refresh ? RestingRefreshView.Of(refresh) : null, execution.HandedBackCount,
            config.Settings.Execution.MaxIntentAgeSeconds);
    }

    /// <summary>The coins a check's last run flagged (its <c>staleCoins</c> datum); null before it has run.</summary>
    private static HashSet<string>? CoinsFlagged(CheckBoard checks, string check) =>
        checks.Get(check) is { } result
            ? new HashSet<string>(result.Data.GetValueOrDefault(CheckData.StaleCoins, "").Split(',', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal)
            : null;
}
