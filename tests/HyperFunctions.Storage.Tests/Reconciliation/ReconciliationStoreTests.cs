using Azure.Data.Tables;
using HyperFunctions.Domain.Reconciliation;
using HyperFunctions.Storage.Reconciliation;
using HyperFunctions.TestSupport;

namespace HyperFunctions.Storage.Tests.Reconciliation;

[Collection(AzuriteCollection.Name)]
public sealed class ReconciliationStoreTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly CancellationToken None = CancellationToken.None;

    private ReconciliationStore NewStore(string instance = "default", string? table = null) =>
        new(new TableServiceClient(azurite.ConnectionString).GetTableClient(table ?? AzuriteFixture.UniqueName("Recon")), instance);

    private static PositionBaseline Baseline(string source, long asOf, string? reportId, params (string Coin, decimal Size)[] sizes) =>
        new(sizes.ToDictionary(s => s.Coin, s => s.Size), asOf, source, reportId, "tester", T0, "0xh-1");

    private static ReconciliationAudit Audit(string action, long asOf, string? reportId, IReadOnlyDictionary<string, decimal>? before, IReadOnlyDictionary<string, decimal> after, DateTimeOffset? at = null) =>
        new(at ?? T0, action, "operator:alice", reportId, "because", before, after, asOf);

    private static ReconciliationReport Report(DateTimeOffset at, string suffix, ReconciliationVerdict verdict, long baselineAsOf) =>
        new(ReportIds.For(at, suffix), at, at.ToUnixTimeMilliseconds(), "0xabc", ReportKinds.Comparison, "Manual", verdict, baselineAsOf, BaselineSources.Initial, 2, "0xh-9",
            [new SymbolReconciliation("BTC", 0.002m, 0.001m, 0.001m, 0.5m, ReconciliationVerdict.Critical, verdict, 2), new SymbolReconciliation("ETH", -0.0100m, -0.01m, 0m, 0m, ReconciliationVerdict.Ok, ReconciliationVerdict.Ok, 0)],
            false, "a note", "proc-1");

    [Fact]
    public async Task The_first_baseline_is_created_once_and_replaced_only_with_the_etag_it_was_read_with()
    {
        var store = NewStore();
        Assert.Null(await store.ReadBaselineAsync(None));
        var initial = Baseline(BaselineSources.Initial, 1000, "r0", ("BTC", 0.001m), ("ETH", -0.5m));
        Assert.True(await store.TryCreateBaselineAsync(initial, Audit(BaselineSources.Initial, 1000, "r0", null, initial.Sizes), None));
        Assert.False(await store.TryCreateBaselineAsync(Baseline(BaselineSources.Initial, 2000, "r1"), Audit(BaselineSources.Initial, 2000, "r1", null, new Dictionary<string, decimal>()), None));

        var read = (await store.ReadBaselineAsync(None))!;
        Assert.Equal(1000, read.Baseline.AsOfMs);
        Assert.Equal(0.001m, read.Baseline.Sizes["BTC"]);
        Assert.Equal(-0.5m, read.Baseline.Sizes["ETH"]);
        Assert.Equal(("initial", "r0", "tester", "0xh-1"), (read.Baseline.Source, read.Baseline.ReportId, read.Baseline.Actor, read.Baseline.FillCursor));

        var accepted = Baseline(BaselineSources.Accepted, 3000, "r2", ("BTC", 0.002m));
        Assert.True(await store.TryReplaceBaselineAsync(accepted, read.ETag, Audit(BaselineSources.Accepted, 3000, "r2", read.Baseline.Sizes, accepted.Sizes, T0.AddMinutes(1)), None));
        // A second writer holding the old ETag loses and writes nothing, audit included.
        var stale = Baseline(BaselineSources.Auto, 4000, "r3", ("BTC", 9m));
        Assert.False(await store.TryReplaceBaselineAsync(stale, read.ETag, Audit(BaselineSources.Auto, 4000, "r3", read.Baseline.Sizes, stale.Sizes, T0.AddMinutes(2)), None));

        var now = (await store.ReadBaselineAsync(None))!.Baseline;
        Assert.Equal((3000L, "accepted", 0.002m), (now.AsOfMs, now.Source, now.Sizes["BTC"]));
        var audit = await store.ReadAuditAsync(10, None);
        Assert.Equal(["accepted", "initial"], audit.Select(a => a.Action)); // newest first; the loser left no row
        Assert.Equal("r2", audit[0].ReportId);
        Assert.Equal(-0.5m, audit[0].Before!["ETH"]);
        Assert.Null(audit[1].Before);
        Assert.Equal("operator:alice", audit[0].Actor);
    }

    [Fact]
    public async Task Reports_read_back_by_id_and_the_latest_is_the_newest()
    {
        var store = NewStore();
        Assert.Null(await store.ReadLatestReportAsync(None));
        var older = Report(T0, "00000001", ReconciliationVerdict.Settling, 1000);
        var newer = Report(T0.AddSeconds(30), "00000002", ReconciliationVerdict.Critical, 1000);
        await store.WriteReportAsync(newer, None);
        await store.WriteReportAsync(older, None); // written late, still not the latest

        var latest = (await store.ReadLatestReportAsync(None))!;
        Assert.Equal(newer.Id, latest.Id);
        Assert.Equal(ReconciliationVerdict.Critical, latest.Verdict);
        Assert.Equal(2, latest.Symbols.Count);
        Assert.Equal(newer.Symbols, latest.Symbols);
        Assert.Equal((newer.VenueTimeMs, newer.BaselineAsOfMs, "0xh-9", "a note", "proc-1"), (latest.VenueTimeMs, latest.BaselineAsOfMs, latest.LastFillKey, latest.Note, latest.Writer));
        Assert.Equal(ReconciliationVerdict.Settling, (await store.ReadReportAsync(older.Id, None))!.Verdict);
        Assert.Null(await store.ReadReportAsync(ReportIds.For(T0.AddDays(1), "0000000f"), None));
        Assert.Equal(new Dictionary<string, decimal> { ["BTC"] = 0.002m, ["ETH"] = -0.01m }, latest.VenueSizes);
    }

    [Fact]
    public async Task Instances_do_not_see_each_others_baseline_or_reports()
    {
        var table = AzuriteFixture.UniqueName("Recon");
        var a = NewStore("a", table);
        var b = NewStore("b", table);
        var baseline = Baseline(BaselineSources.Initial, 1, null, ("SOL", 1m));
        Assert.True(await a.TryCreateBaselineAsync(baseline, Audit(BaselineSources.Initial, 1, null, null, baseline.Sizes), None));
        await a.WriteReportAsync(Report(T0, "0000000a", ReconciliationVerdict.Ok, 1), None);
        Assert.Null(await b.ReadBaselineAsync(None));
        Assert.Null(await b.ReadLatestReportAsync(None));
        Assert.Empty(await b.ReadAuditAsync(10, None));
    }
}
