using Azure.Data.Tables;
using HyperFunctions.Domain.Safety;
using HyperFunctions.Storage.Ledger;
using HyperFunctions.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace HyperFunctions.Storage.Tests;

/// <summary>Each test owns its Azurite, because it takes storage away.</summary>
public sealed class SafetyLedgerOutageTests
{
    [Fact]
    public async Task Storage_outage_holds_a_local_HALT_refuses_orders_and_records_the_episode_when_back()
    {
        await using var azurite = await AzuriteInstance.StartNewAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var config = LedgerHarness.Config(azurite.ConnectionString, "Ledger");
        var ledger = LedgerHarness.Ledger(config, time);
        await ledger.BootAsync(CancellationToken.None);
        await ledger.ApplyAsync(new Promote("op", "go"), CancellationToken.None);
        Assert.True((await ledger.EvaluateGateAsync(new GateRequest(OrderAction.Place, false), CancellationToken.None)).Admitted);

        await azurite.StopAsync();
        var during = await ledger.GetEffectiveAsync(CancellationToken.None);
        Assert.Equal((SafetyMode.Halt, ReasonCode.StorageUnavailable), (during.Mode, during.Reason));
        Assert.False((await ledger.EvaluateGateAsync(new GateRequest(OrderAction.Place, true), CancellationToken.None)).Admitted);
        Assert.True((await ledger.EvaluateGateAsync(new GateRequest(OrderAction.Cancel, false), CancellationToken.None)).Admitted);
        Assert.IsType<LedgerResult.Unavailable>(await ledger.ApplyAsync(new Promote("op", "again"), CancellationToken.None));

        time.Advance(TimeSpan.FromSeconds(42));
        await azurite.StartAsync();
        var probe = await ledger.ProbeAsync(CancellationToken.None);
        Assert.True(probe.Usable, probe.Hold?.Message);
        var episode = Assert.IsType<LedgerResult.Applied>(probe.Episode).Record;
        Assert.Equal((SafetyMode.ArmedLive, SafetyMode.Halt, ReasonCode.StorageUnavailable), (episode.From!.Value, episode.To, episode.Reason));
        Assert.Contains("42 s", episode.Message, StringComparison.Ordinal);

        var history = await ledger.ReadHistoryAsync(10, null, CancellationToken.None);
        Assert.Equal(ReasonCode.StorageUnavailable, history[0].Reason);
        Assert.Equal([3L, 2L, 1L], history.Select(h => h.Version)); // the refused promote wrote nothing
    }

    [Fact]
    public async Task Unreachable_at_boot_holds_HALT_and_boots_once_storage_answers()
    {
        await using var azurite = new AzuriteInstance(); // not started
        var config = LedgerHarness.Config(azurite.ConnectionString, "Ledger");
        var ledger = LedgerHarness.Ledger(config, TimeProvider.System);
        Assert.IsType<LedgerResult.Unavailable>(await ledger.BootAsync(CancellationToken.None));
        Assert.Equal(SafetyMode.Halt, (await ledger.GetEffectiveAsync(CancellationToken.None)).Mode);

        await azurite.StartAsync();
        Assert.True((await ledger.ProbeAsync(CancellationToken.None)).Usable);
        var history = await ledger.ReadHistoryAsync(10, null, CancellationToken.None);
        Assert.Contains(history, h => h.Reason == ReasonCode.Boot);
    }

    [Fact]
    public async Task Schema_version_mismatch_holds_HALT_without_writing_and_recovers_when_fixed()
    {
        await using var azurite = await AzuriteInstance.StartNewAsync();
        var config = LedgerHarness.Config(azurite.ConnectionString, "Ledger");
        var ledger = LedgerHarness.Ledger(config, TimeProvider.System);
        await ledger.BootAsync(CancellationToken.None);

        var table = new TableClient(azurite.ConnectionString, "Ledger");
        await table.UpsertEntityAsync(new TableEntity("test", "schema") { ["SchemaVersion"] = 99 });
        var probe = await ledger.ProbeAsync(CancellationToken.None);
        Assert.Equal(ReasonCode.SchemaVersionMismatch, probe.Hold?.Reason);
        Assert.Contains("99", probe.Hold!.Message, StringComparison.Ordinal);
        Assert.IsType<LedgerResult.Unavailable>(await ledger.ApplyAsync(new Promote("op", "go"), CancellationToken.None));
        await Assert.ThrowsAsync<LedgerUnavailableException>(() => ledger.ReadHistoryAsync(10, null, CancellationToken.None)); // fails fast while held

        await table.UpsertEntityAsync(new TableEntity("test", "schema") { ["SchemaVersion"] = LedgerTableStore.CurrentSchemaVersion });
        probe = await ledger.ProbeAsync(CancellationToken.None);
        Assert.True(probe.Usable);
        Assert.Equal(ReasonCode.SchemaVersionMismatch, Assert.IsType<LedgerResult.Applied>(probe.Episode).Record.Reason);
        Assert.Equal([ReasonCode.SchemaVersionMismatch, ReasonCode.Boot], (await ledger.ReadHistoryAsync(10, null, CancellationToken.None)).Select(h => h.Reason)); // the refused promote wrote nothing
    }

    [Fact]
    public async Task Storage_that_hangs_is_a_hold_within_the_operation_budget_and_recovers_when_it_answers_again()
    {
        await using var azurite = await AzuriteInstance.StartNewAsync();
        var config = LedgerHarness.Config(azurite.ConnectionString, "Ledger", operationTimeoutSeconds: 1);
        var ledger = LedgerHarness.Ledger(config, TimeProvider.System);
        await ledger.BootAsync(CancellationToken.None);

        await azurite.PauseAsync();
        try
        {
            var probe = await ledger.ProbeAsync(CancellationToken.None);
            Assert.Equal(ReasonCode.StorageUnavailable, probe.Hold?.Reason);
            Assert.Contains("did not answer within 1 s", probe.Hold!.Message, StringComparison.Ordinal);
            // While held, reads that need storage fail at once instead of queueing behind the hang.
            var refused = await Assert.ThrowsAsync<LedgerUnavailableException>(() => ledger.ReadHistoryAsync(10, null, CancellationToken.None));
            Assert.Equal(ReasonCode.StorageUnavailable, refused.Hold.Reason);
            Assert.False(ledger.Remembered.StorageUsable);
            Assert.Equal(SafetyMode.ArmedSafe, ledger.Remembered.Effective.Ledger!.Mode); // the last state read is still shown, as such
        }
        finally
        {
            await azurite.ResumeAsync();
        }

        var back = await ledger.ProbeAsync(CancellationToken.None);
        Assert.True(back.Usable, back.Hold?.Message);
        Assert.Equal(ReasonCode.StorageUnavailable, Assert.IsType<LedgerResult.Applied>(back.Episode).Record.Reason);
    }

    [Fact]
    public async Task An_outage_is_one_warning_when_it_starts_and_one_line_when_it_ends_with_no_stack_trace_above_debug()
    {
        await using var azurite = await AzuriteInstance.StartNewAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var logs = new FakeLogCollector();
        var config = LedgerHarness.Config(azurite.ConnectionString, "Ledger");
        var ledger = LedgerHarness.Ledger(config, time, new FakeLogger<SafetyLedger>(logs));
        await ledger.BootAsync(CancellationToken.None);
        logs.Clear();

        await azurite.StopAsync();
        for (var i = 0; i < 12; i++) // one minute of probes every 5 s; the first failure starts the episode
        {
            time.Advance(TimeSpan.FromSeconds(5));
            Assert.False((await ledger.ProbeAsync(CancellationToken.None)).Usable);
        }
        Assert.Equal(12, ledger.FailedProbes);
        await azurite.StartAsync();
        Assert.True((await ledger.ProbeAsync(CancellationToken.None)).Usable);

        var visible = logs.GetSnapshot().Where(r => r.Level >= LogLevel.Information).ToList();
        var began = Assert.Single(visible, r => r.Level == LogLevel.Warning);
        Assert.Contains("STORAGE_UNAVAILABLE", began.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', began.Message);
        Assert.Single(visible, r => r.Id.Id == 1102 && r.Message.Contains("after 55 s and 12 failed storage calls", StringComparison.Ordinal));
        Assert.All(visible, r => Assert.Null(r.Exception));
        Assert.True(visible.Count <= 4, string.Join("\n", visible.Select(r => r.Message))); // began, ended, the recorded transition
        Assert.Contains(logs.GetSnapshot(), r => r.Level == LogLevel.Debug && r.Exception is not null); // the detail is there for who asks
    }
}
