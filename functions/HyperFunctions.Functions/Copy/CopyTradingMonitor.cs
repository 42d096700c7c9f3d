using System.Diagnostics;
using System.Diagnostics.Metrics;
using HyperFunctions.Domain.Copy;
using HyperFunctions.Telemetry;

namespace HyperFunctions.Functions.Copy;

/// <summary>The last target fill this process mirrored into an intent.</summary>
public sealed record LastCopied(string FillKey, string Cloid, string Coin, string Side, decimal Size, string? CappedBy, DateTimeOffset At);

/// <summary>One batch as the copier ran it (tests wait on <see cref="CopyTradingMonitor.BatchCompleted"/>).</summary>
public sealed record CopyBatchReport(int Fills, int Copied, int AlreadyRecorded, IReadOnlyDictionary<string, int> Skipped, CopyPosition? Cursor, bool CursorMoved, string Summary);

/// <summary>
/// This process's memory of copy trading, for GET /api/status (never storage) and the metric
/// hf_copy_fills_total{outcome}: <c>copied</c> (a new intent recorded and queued), <c>already_recorded</c> (a replayed
/// fill whose intent exists: queued again only if not final), or the skip reason (<c>zero_size</c>, <c>position_cap</c>,
/// <c>coin_not_configured</c>, <c>coin_not_listed</c>, <c>bad_fill</c>, <c>backfill_only</c>).
/// </summary>
public sealed class CopyTradingMonitor
{
    private readonly Counter<long> _fills;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _skipped = new(StringComparer.Ordinal);
    private long _seen;
    private long _created;
    private long _alreadyRecorded;
    private CopyPosition? _cursor;
    private DateTimeOffset? _cursorAt;
    private LastCopied? _last;
    private DateTimeOffset? _lastBatchAt;
    private string? _state;
    private IReadOnlyList<CoinExposure> _exposure = [];
    private DateTimeOffset? _exposureAt;

    public CopyTradingMonitor(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(HyperFunctionsDiagnostics.MeterName);
        _fills = meter.CreateCounter<long>("hf.copy.fills", "{fill}", "Target fills the copier handled, by outcome (copied, already_recorded, or the skip reason).");
    }

    /// <summary>Raised after each batch that handled fills or moved the cursor.</summary>
    public event Action<CopyBatchReport>? BatchCompleted;

    public void State(string state, DateTimeOffset at)
    {
        lock (_gate)
        {
            _state = state;
            _lastBatchAt = at;
        }
    }

    public void CursorAt(CopyPosition cursor, DateTimeOffset at)
    {
        lock (_gate)
        {
            _cursor = cursor;
            _cursorAt = at;
        }
    }

    public void Copied(LastCopied copied)
    {
        lock (_gate)
        {
            _created++;
            _seen++;
            _last = copied;
        }
        _fills.Add(1, new TagList { { "outcome", "copied" } });
    }

    public void AlreadyRecorded()
    {
        lock (_gate)
        {
            _alreadyRecorded++;
            _seen++;
        }
        _fills.Add(1, new TagList { { "outcome", "already_recorded" } });
    }

    public void Skipped(CopySkip reason)
    {
        var wire = reason.ToWire();
        lock (_gate)
        {
            _skipped[wire] = _skipped.GetValueOrDefault(wire) + 1;
            _seen++;
        }
        _fills.Add(1, new TagList { { "outcome", wire } });
    }

    public void Completed(CopyBatchReport report) => BatchCompleted?.Invoke(report);

    /// <summary>Where the position of each coin with a MaxPosition cap can go, as the last batch that judged the cap left it.</summary>
    public void Exposure(IReadOnlyList<CoinExposure> coins, DateTimeOffset at)
    {
        lock (_gate)
        {
            _exposure = coins;
            _exposureAt = at;
        }
    }

    public CopyTradingSnapshot Snapshot()
    {
        lock (_gate)
        {
            return new CopyTradingSnapshot(_state, _cursor, _cursorAt, _seen, _created, _alreadyRecorded,
                new SortedDictionary<string, long>(_skipped, StringComparer.Ordinal), _last, _lastBatchAt, _exposure, _exposureAt);
        }
    }
}

/// <summary>What <see cref="CopyTradingMonitor"/> holds, read at once.</summary>
public sealed record CopyTradingSnapshot(
    string? State, CopyPosition? Cursor, DateTimeOffset? CursorAt, long FillsSeen, long IntentsCreated, long AlreadyRecorded,
    IReadOnlyDictionary<string, long> Skipped, LastCopied? LastCopied, DateTimeOffset? LastBatchAt,
    IReadOnlyList<CoinExposure> Exposure, DateTimeOffset? ExposureAt);

/// <summary>
/// One coin's MaxPosition judgement: the own venue position, and the range it can end in once the mirrored orders
/// not final yet (<see cref="OpenOrders"/> of them, from any batch) fill or not (docs/copy-trading.md, step 5).
/// </summary>
public sealed record CoinExposure(string Coin, decimal Venue, PositionRange Range, int OpenOrders);
