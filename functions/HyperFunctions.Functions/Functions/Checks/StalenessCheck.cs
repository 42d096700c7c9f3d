using HyperFunctions.Configuration;
using HyperFunctions.Domain.Checks;
using HyperFunctions.Functions.Checks;
using HyperFunctions.Functions.Http;
using HyperFunctions.Hyperliquid.Rest;
using HyperFunctions.Storage.Streaming;

namespace HyperFunctions.Functions.Functions.Checks;

/// <summary>
/// Timer: is each configured coin's order book fresh? A book older than Checks:Staleness:MaxBookAgeSeconds
/// (the venue's book time, as the keeper wrote it) forces a REST read of that coin; still stale or failed →
/// the backup source if configured; still nothing fresh → MARKET_DATA_STALE (ARMED_SAFE). Stale coins are
/// marked <c>stale: true</c> under <c>markets</c> in status until fresh again.
/// </summary>
public sealed class StalenessCheck(StreamFactsStore facts, IHyperliquidInfoClient venue, BackupBookSource backup, LoadedConfiguration configuration) : ICheck
{
    private readonly TimeSpan _limit = TimeSpan.FromSeconds(configuration.Settings.Checks.Staleness.MaxBookAgeSeconds);
    private readonly IReadOnlyList<string> _coins = configuration.Settings.Keeper.EffectiveCoins;

    public string Name => nameof(StalenessCheck);

    public async Task<CheckVerdict> EvaluateAsync(CheckContext context, CancellationToken ct)
    {
        var rows = (await facts.ReadMarketsIfAnyAsync(ct)).ToDictionary(m => m.Coin, StringComparer.Ordinal);
        var books = new List<CoinBook>();
        foreach (var coin in _coins)
        {
            var kept = rows.GetValueOrDefault(coin)?.BookAt;
            books.Add(StalenessRule.IsStale(kept, context.Now, _limit) ? await RefreshAsync(coin, kept, context.Now, ct) : new CoinBook(coin, BookOutcome.Fresh, kept, "keeper"));
        }
        return StalenessRule.Evaluate(Name, books, context.Now, _limit);
    }

    private async Task<CoinBook> RefreshAsync(string coin, DateTimeOffset? kept, DateTimeOffset now, CancellationToken ct)
    {
        var (restAt, restDetail) = await TryAsync(() => venue.GetL2BookAsync(coin, ct), "REST", ct);
        if (!StalenessRule.IsStale(restAt, now, _limit)) return new CoinBook(coin, BookOutcome.RefreshedOverRest, restAt, $"keeper book {Describe(kept, now)}; {restDetail}");
        if (!backup.Configured) return new CoinBook(coin, BookOutcome.Stale, Latest(kept, restAt), $"keeper book {Describe(kept, now)}; {restDetail}");
        var (backupAt, backupDetail) = await TryAsync(() => backup.GetL2BookAsync(coin, ct), "backup", ct);
        return StalenessRule.IsStale(backupAt, now, _limit)
            ? new CoinBook(coin, BookOutcome.Stale, Latest(Latest(kept, restAt), backupAt), $"keeper book {Describe(kept, now)}; {restDetail}; {backupDetail}")
            : new CoinBook(coin, BookOutcome.RefreshedFromBackup, backupAt, $"keeper book {Describe(kept, now)}; {restDetail}; {backupDetail}");
    }

    private static async Task<(DateTimeOffset? At, string Detail)> TryAsync(Func<Task<Hyperliquid.Models.L2Book>> read, string source, CancellationToken ct)
    {
        try
        {
            var book = await read();
            var at = DateTimeOffset.FromUnixTimeMilliseconds(book.Time);
            return (at, $"{source} book at {at:O}");
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            return (null, $"{source} refresh failed: {ex.GetType().Name}: {SafeText.Display(ex.Message, 160)}");
        }
    }

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static string Describe(DateTimeOffset? at, DateTimeOffset now) => at is { } a ? $"{Math.Max(0, (now - a).TotalSeconds):F0} s old" : "missing";
}
