using HyperFunctions.Configuration;
using HyperFunctions.Domain.Safety;
using HyperFunctions.Storage.Ledger;
using HyperFunctions.TestSupport;

namespace HyperFunctions.Storage.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class SafetyLedgerConcurrencyTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Thirty_two_concurrent_writers_lose_no_update_and_leave_gap_free_versions()
    {
        var config = LedgerHarness.Config(azurite.ConnectionString, AzuriteFixture.UniqueName("Ledger"));
        var first = LedgerHarness.Ledger(config, TimeProvider.System);
        Assert.IsType<LedgerResult.Applied>(await first.BootAsync(CancellationToken.None));

        // 32 writers, each with its own clients; alternate promote and halt/reset so most commands change state.
        var writers = Enumerable.Range(0, 32).Select(i => (ledger: LedgerHarness.Ledger(config, TimeProvider.System), i)).ToArray();
        var results = await Task.WhenAll(writers.Select(async w =>
        {
            SafetyCommand command = (w.i % 3) switch
            {
                0 => new Promote($"op-{w.i}", "promote"),
                1 => new OperatorHalt(ReasonCode.ManualHalt, $"op-{w.i}", "halt"),
                _ => new OperatorReset(SafetyMode.ArmedSafe, ReasonCode.ManualReset, true, $"op-{w.i}", "reset"),
            };
            return await w.ledger.ApplyAsync(command, CancellationToken.None);
        }));

        Assert.DoesNotContain(results, r => r is LedgerResult.Unavailable);
        var applied = results.OfType<LedgerResult.Applied>().ToList();
        var history = await first.ReadHistoryAsync(1000, null, CancellationToken.None);
        var versions = history.Select(h => h.Version).Order().ToList();

        Assert.Equal(Enumerable.Range(1, versions.Count).Select(v => (long)v), versions);   // gap-free from 1
        Assert.Equal(applied.Count + 1, history.Count);                                    // every applied write (+ boot) is there
        Assert.Equal(applied.Select(a => a.Record.Version).Order(), versions.Skip(1));      // each writer got its own version
        var ordered = history.OrderBy(h => h.Version).ToList();
        Assert.All(ordered.Zip(ordered.Skip(1)), p => Assert.Equal(p.First.To, p.Second.From)); // a chain: no lost update
        var final = await first.GetEffectiveAsync(CancellationToken.None);
        Assert.Equal((ordered[^1].To, ordered[^1].Version), (final.Mode, final.Ledger!.Version));
    }

    [Fact]
    public async Task Eight_processes_starting_at_once_with_a_new_configuration_write_exactly_one_CONFIG_CHANGED()
    {
        var table = AzuriteFixture.UniqueName("Ledger");
        var old = LedgerHarness.Ledger(LedgerHarness.Config(azurite.ConnectionString, table, configHash: "sha256:old"), TimeProvider.System);
        await old.BootAsync(CancellationToken.None);
        Assert.IsType<LedgerResult.Applied>(await old.ApplyAsync(new Promote("op", "go"), CancellationToken.None));

        var deployed = LedgerHarness.Config(azurite.ConnectionString, table, configHash: "sha256:new");
        var starts = Enumerable.Range(0, 8).Select(_ => LedgerHarness.Ledger(deployed, TimeProvider.System)).ToArray();
        var results = await Task.WhenAll(starts.Select(l => l.BootAsync(CancellationToken.None)));

        var applied = Assert.Single(results.OfType<LedgerResult.Applied>());
        Assert.Equal(7, results.OfType<LedgerResult.Unchanged>().Count());
        Assert.Equal((SafetyMode.ArmedLive, SafetyMode.ArmedSafe, ReasonCode.ConfigChanged), (applied.Record.From!.Value, applied.Record.To, applied.Record.Reason));
        var history = await old.ReadHistoryAsync(100, null, CancellationToken.None);
        Assert.Equal([ReasonCode.ConfigChanged, ReasonCode.ManualPromote, ReasonCode.Boot], history.Select(h => h.Reason));
        Assert.All(starts, l => Assert.Equal(("sha256:new", 3L), (l.LastKnown!.ConfigHash, l.LastKnown.Version)));
    }

    [Fact]
    public async Task A_restart_with_the_same_configuration_writes_nothing_and_keeps_mode_and_reason()
    {
        var config = LedgerHarness.Config(azurite.ConnectionString, AzuriteFixture.UniqueName("Ledger"));
        var before = LedgerHarness.Ledger(config, TimeProvider.System);
        await before.BootAsync(CancellationToken.None);
        await before.ApplyAsync(new Promote("op", "go"), CancellationToken.None);
        await before.ApplyAsync(new RaiseCondition(ReasonCode.MarketDataStale, SafetyMode.ArmedSafe, "StalenessCheck", "BTC stale"), CancellationToken.None);

        var after = LedgerHarness.Ledger(config, TimeProvider.System);
        Assert.IsType<LedgerResult.Unchanged>(await after.BootAsync(CancellationToken.None));
        var state = after.LastKnown!;
        Assert.Equal((SafetyMode.ArmedSafe, ReasonCode.MarketDataStale, 3L), (state.Mode, state.Reason, state.Version));
        Assert.Equal(ReasonCode.MarketDataStale, Assert.Single(state.Conditions).Reason);
    }

    [Fact]
    public async Task An_allowed_live_start_creates_the_ledger_in_ARMED_LIVE()
    {
        var config = LedgerHarness.Config(azurite.ConnectionString, AzuriteFixture.UniqueName("Ledger"));
        config.Settings.Deployment.Mode = DeploymentMode.Live;
        config.Settings.Safety.StartMode = "ARMED_LIVE";
        config.Settings.Safety.AllowStartLive = true;
        var ledger = LedgerHarness.Ledger(config, TimeProvider.System);
        var boot = Assert.IsType<LedgerResult.Applied>(await ledger.BootAsync(CancellationToken.None));
        Assert.Equal((null, SafetyMode.ArmedLive, ReasonCode.Boot), (boot.Record.From, boot.Record.To, boot.Record.Reason));
    }

    [Fact]
    public async Task A_stale_etag_writes_nothing()
    {
        var config = LedgerHarness.Config(azurite.ConnectionString, AzuriteFixture.UniqueName("Ledger"));
        var ledger = LedgerHarness.Ledger(config, TimeProvider.System);
        await ledger.BootAsync(CancellationToken.None);
        var store = LedgerHarness.Store(config);

        var stale = await store.ReadAsync(CancellationToken.None);
        Assert.IsType<LedgerResult.Applied>(await ledger.ApplyAsync(new Promote("op", "go"), CancellationToken.None));

        var decision = (SafetyDecision.Transition)SafetyStateMachine.Decide(stale!.State, new OperatorHalt(ReasonCode.ManualHalt, "op", "late"), config.Policy, DateTimeOffset.UtcNow, config.ConfigHash);
        Assert.False(await store.TryCommitAsync(decision, stale.ETag, CancellationToken.None));

        var history = await store.ReadHistoryAsync(100, null, CancellationToken.None);
        Assert.Equal(2, history.Count);
        Assert.Equal(SafetyMode.ArmedLive, (await store.ReadAsync(CancellationToken.None))!.State.Mode);
    }

    [Fact]
    public async Task Creating_a_ledger_twice_conflicts_instead_of_overwriting()
    {
        var config = LedgerHarness.Config(azurite.ConnectionString, AzuriteFixture.UniqueName("Ledger"));
        var store = LedgerHarness.Store(config);
        await store.EnsureTableAsync(CancellationToken.None);
        var genesis = (SafetyDecision.Transition)SafetyStateMachine.Decide(null, new Boot(SafetyMode.ArmedSafe, "a", "boot"), config.Policy, DateTimeOffset.UtcNow, "h");
        Assert.True(await store.TryCommitAsync(genesis, null, CancellationToken.None));
        Assert.False(await store.TryCommitAsync(genesis, null, CancellationToken.None));
        Assert.Single(await store.ReadHistoryAsync(10, null, CancellationToken.None));
    }

    [Fact]
    public async Task History_pages_newest_first_with_before()
    {
        var config = LedgerHarness.Config(azurite.ConnectionString, AzuriteFixture.UniqueName("Ledger"));
        var ledger = LedgerHarness.Ledger(config, TimeProvider.System);
        await ledger.BootAsync(CancellationToken.None);
        for (var i = 0; i < 4; i++)
        {
            await ledger.ApplyAsync(new Promote("op", "go"), CancellationToken.None);
            await ledger.ApplyAsync(new OperatorReset(SafetyMode.ArmedSafe, ReasonCode.ManualReset, true, "op", "back"), CancellationToken.None);
        }
        var page1 = await ledger.ReadHistoryAsync(3, null, CancellationToken.None);
        Assert.Equal([9L, 8L, 7L], page1.Select(h => h.Version));
        var page2 = await ledger.ReadHistoryAsync(3, page1[^1].Version, CancellationToken.None);
        Assert.Equal([6L, 5L, 4L], page2.Select(h => h.Version));
    }
}
