using HyperFunctions.Hyperliquid.Models;
using HyperFunctions.Storage.Streaming;

namespace HyperFunctions.Streaming;

internal enum BackfillState
{
    /// <summary>Not the leader: nothing is buffered, the leader writes.</summary>
    Standby,
    /// <summary>Leader, backfill from the cursor not done yet: live fills are buffered, nothing written.</summary>
    Pending,
    /// <summary>Backfilled: fills are written and the cursor follows them.</summary>
    Done,
    /// <summary>The gap was beyond the window: fills are written, the cursor stays (BACKFILL_WINDOW_EXCEEDED).</summary>
    Halted,
}

/// <summary>One followed account in the keeper's memory; every member is called under the keeper's lock.</summary>
internal sealed class AccountState(string address)
{
    /// <summary>A bound on fills held in memory while storage is away; past it the oldest are dropped (the cursor stays, so a restart refetches them).</summary>
    internal const int MaxPending = 100_000;

    private readonly SortedDictionary<(long Time, long Tid, string Hash), Fill> _pending = [];

    public string Address => address;
    public BackfillState Backfill { get; private set; } = BackfillState.Standby;
    public StreamCursor? Cursor { get; private set; }
    public DateTimeOffset? CursorTime => Cursor?.LastTimeAt;
    public long Dropped { get; private set; }

    /// <summary>The newest fill seen from the venue (socket, backfill or REST), leader or not: (time, tid, key).</summary>
    public (long Time, long Tid, string Key)? NewestSeen { get; private set; }

    public void BeginLeadership()
    {
        Backfill = BackfillState.Pending;
        _pending.Clear();
    }

    public void EndLeadership()
    {
        Backfill = BackfillState.Standby;
        _pending.Clear();
    }

    public void Offer(Fill fill)
    {
        if (NewestSeen is not { } seen || (fill.Time, fill.Tid).CompareTo((seen.Time, seen.Tid)) > 0)
            NewestSeen = (fill.Time, fill.Tid, Domain.Streaming.EventKeys.Fill(fill.Hash, fill.Tid));
        if (Backfill == BackfillState.Standby) return;
        _pending[(fill.Time, fill.Tid, fill.Hash)] = fill;
        while (_pending.Count > MaxPending)
        {
            _pending.Remove(_pending.Keys.First());
            Dropped++;
        }
    }

    public void Resume(StreamCursor cursor)
    {
        Cursor = cursor;
        Backfill = BackfillState.Done;
    }

    public void Halt(StreamCursor cursor)
    {
        Cursor = cursor;
        Backfill = BackfillState.Halted;
    }

    /// <summary>The fills to write now, oldest first (none while the backfill is pending). Fills older than the cursor are already stored: dropped.</summary>
    public List<StoredFill> TakeWritable()
    {
        if (Backfill is BackfillState.Standby or BackfillState.Pending || _pending.Count == 0) return [];
        var floor = Cursor?.LastTime ?? long.MinValue;
        var list = new List<StoredFill>(_pending.Count);
        foreach (var (_, f) in _pending)
        {
            if (f.Time < floor) continue;
            list.Add(new StoredFill(address, f.Coin, f.Px, f.Sz, f.Side, f.Time, f.StartPosition, f.Dir, f.ClosedPnl, f.Hash, f.Oid, f.Crossed, f.Fee, f.Tid, f.FeeToken, f.Cloid));
        }
        _pending.Clear();
        return list;
    }

    public void Return(List<StoredFill> fills)
    {
        foreach (var f in fills)
        {
            _pending.TryAdd((f.Time, f.Tid, f.Hash), new Fill(f.Coin, f.Px, f.Sz, f.Side, f.Time, f.StartPosition, f.Dir, f.ClosedPnl, f.Hash, f.Oid, f.Crossed, f.Fee, f.Tid, f.FeeToken, f.Cloid));
        }
    }

    /// <summary>After <paramref name="written"/> are stored: the cursor moves to the newest of them (only forward, never while halted).</summary>
    public StreamCursor? Advance(List<StoredFill> written, DateTimeOffset now)
    {
        if (Backfill != BackfillState.Done || written.Count == 0) return null;
        var newest = written.MaxBy(f => (f.Time, f.Tid))!;
        if (Cursor is { } c && newest.Time < c.LastTime) return null;
        Cursor = new StreamCursor(address, newest.Key, newest.Time, now);
        return Cursor;
    }

    public void CursorWriteFailed()
    {
        // The stored cursor is older than the one in memory: a restart refetches from it, and the fill keys drop the repeats.
    }

    public AccountView View() => new(address, Cursor?.LastKey, Cursor?.LastTimeAt, Backfill.ToString().ToLowerInvariant(), _pending.Count, NewestSeen?.Key);
}
