using System.Diagnostics;
using HyperFunctions.Configuration;
using HyperFunctions.Domain.Safety;
using HyperFunctions.Domain.Streaming;
using HyperFunctions.Hyperliquid.Models;
using HyperFunctions.Hyperliquid.Rest;
using HyperFunctions.Hyperliquid.Socket;
using HyperFunctions.Storage;
using HyperFunctions.Storage.Leases;
using HyperFunctions.Storage.Ledger;
using HyperFunctions.Storage.Streaming;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HyperFunctions.Streaming;

/// <summary>
/// The stream keeper: holds the venue connection and turns it into durable facts (docs/keeper.md).
/// Two loops: the consumer reads the socket's events into memory (books, contexts, fills, order updates,
/// the data-path state); the writer ticks every second, holds or competes for the blob lease, and, as
/// leader only, writes what is due: coalesced market rows, fills and order updates (idempotent, keyed by
/// the venue's ids), cursors, the heartbeat and stream events. On taking the lead (at start too) it first
/// backfills each account from its cursor, so a restart or a hand-over loses no fill. The standby stays
/// connected and keeps its memory current, but writes nothing. No iteration failure ends either loop.
/// </summary>
public sealed partial class StreamKeeper : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);

    private readonly KeeperSettings _settings;
    private readonly HyperliquidSocket _socket;
    private readonly IHyperliquidInfoClient _info;
    private readonly StreamFactsStore _store;
    private readonly BlobLease _lease;
    private readonly ILeadershipEligibility _eligibility;
    private readonly SafetyLedger _ledger;
    private readonly TimeProvider _time;
    private readonly ILogger<StreamKeeper> _logger;
    private readonly bool _runLoop;
    private readonly TimeSpan _operationTimeout;
    private readonly DataPathPolicy _policy;
    private readonly FailureEpisode _storageEpisode;
    private readonly FailureEpisode _restEpisode;
    private readonly HashSet<string> _coins;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _tickLock = new(1, 1);
    private readonly WriteCoalescer<string, MarketFact> _marketWrites;
    private readonly Dictionary<string, MarketFact> _markets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AccountState> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StoredOrderUpdate> _pendingOrders = new(StringComparer.Ordinal);
    private readonly List<StreamEventRecord> _pendingEvents = [];
    private readonly HashSet<string> _loggedBadInputs = new(StringComparer.Ordinal);
    private readonly Stopwatch _sinceLeaseCall = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _consumer;
    private Task? _loop;
    private DataPathState _dataPath = DataPathState.Initial;
    private bool _isLeader;
    private LeadershipEligibility? _eligible; // the last answer (null before the first)
    private string? _leader;
    private bool _tablesReady;
    private bool _restHealthy;
    private DateTimeOffset? _lastDataAt; // last venue data message (socket) or good REST poll; pongs and acks do not count
    private DateTimeOffset? _heartbeatWrittenAt;
    private DateTimeOffset? _lastRestPoll;
    private long _badInputs;
    private long _storageWrites;
    private long _fillsWritten;
    private long _orderUpdatesWritten;
    private long _restPolls;
    private string? _lastStorageError;

    public StreamKeeper(
        KeeperSettings settings, HyperliquidSocket socket, IHyperliquidInfoClient info, StreamFactsStore store, BlobLease lease,
        SafetyLedger ledger, LoadedConfiguration configuration, TimeProvider time, ILogger<StreamKeeper> logger, string self, bool runLoop = true,
        ILeadershipEligibility? eligibility = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(configuration);
        _settings = settings;
        _socket = socket;
        _info = info;
        _store = store;
        _lease = lease;
        _eligibility = eligibility ?? new AlwaysEligible();
        _ledger = ledger;
        _time = time;
        _logger = logger;
        _runLoop = runLoop;
        Self = self;
        _operationTimeout = TimeSpan.FromSeconds(configuration.Settings.Storage.OperationTimeoutSeconds);
        _policy = new DataPathPolicy(settings.FallbackAfterFailures, TimeSpan.FromSeconds(settings.HandBackAfterSeconds));
        _storageEpisode = new FailureEpisode("Keeper storage writes", logger, time);
        _restEpisode = new FailureEpisode("Keeper REST polling", logger, time);
        _coins = new HashSet<string>(settings.EffectiveCoins, StringComparer.Ordinal);
        _marketWrites = new WriteCoalescer<string, MarketFact>(TimeSpan.FromSeconds(settings.SnapshotIntervalSeconds));
        foreach (var account in settings.EffectiveAccounts) _accounts[account] = new AccountState(account);
    }

    /// <summary>This replica's identity (recorded as leader in the heartbeat).</summary>
    public string Self { get; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var coin in _settings.EffectiveCoins)
        {
            await _socket.SubscribeAsync(Subscription.L2Book(coin), cancellationToken);
            await _socket.SubscribeAsync(Subscription.ActiveAssetCtx(coin), cancellationToken);
        }
        foreach (var account in _settings.EffectiveAccounts)
        {
            await _socket.SubscribeAsync(Subscription.UserFills(account), cancellationToken);
            await _socket.SubscribeAsync(Subscription.OrderUpdates(account), cancellationToken);
        }
        _consumer = Task.Run(() => ConsumeAsync(_stop.Token), CancellationToken.None);
        await _socket.StartAsync(cancellationToken);
        if (_runLoop) _loop = Task.Run(() => LoopAsync(_stop.Token), CancellationToken.None);
        LogStarted(Self, string.Join(",", _settings.EffectiveCoins), _accounts.Count);
    }

    /// <summary>A clean stop: the loops end, the lease is released (a standby takes over at once), the socket closes.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => StopCoreAsync(releaseLease: true);

    /// <summary>Like a crash, for tests: stops without releasing the lease, which then expires by itself.</summary>
    internal Task KillAsync() => StopCoreAsync(releaseLease: false);

    private async Task StopCoreAsync(bool releaseLease)
    {
        if (_stop.IsCancellationRequested) return;
        await _stop.CancelAsync();
        await _socket.DisposeAsync();
        foreach (var t in new[] { _loop, _consumer })
        {
            if (t is null) continue;
            try { await t; }
            catch (OperationCanceledException) { /* stopping */ }
        }
        if (releaseLease)
        {
            using var limit = new CancellationTokenSource(_operationTimeout);
            await _lease.ReleaseAsync(limit.Token);
        }
        lock (_gate) _isLeader = false;
        Signal();
    }

    public async ValueTask DisposeAsync()
    {
        await StopCoreAsync(releaseLease: true);
        _stop.Dispose();
        _tickLock.Dispose();
    }

    /// <summary>The state in memory, for /status and GET /api/status; never touches storage.</summary>
    public KeeperSnapshot Snapshot()
    {
        var stats = _socket.GetStatistics();
        lock (_gate)
        {
            var ready = _tablesReady && (stats.Connected || (_dataPath.Source == DataSource.Rest && _restHealthy));
            return new KeeperSnapshot(
                Self, _isLeader, _isLeader ? Self : _leader, ready, stats.Connected, _dataPath.Source, _dataPath.SourceSince, stats.LastMessageAt,
                stats.ReconnectsTotal, stats.Attempts, stats.ConsecutiveFailures, stats.LastDisconnect?.ToString(), _heartbeatWrittenAt,
                [.. _markets.Values.OrderBy(m => m.Coin, StringComparer.Ordinal)],
                [.. _accounts.Values.Select(a => a.View())],
                _badInputs, _storageWrites, _fillsWritten, _orderUpdatesWritten, _restPolls, _lastStorageError, _lastDataAt,
                _eligible?.Site, _eligible?.Eligible ?? true, _eligible?.Reason);
        }
    }

    /// <summary>Completes when <paramref name="condition"/> holds for the snapshot; re-checked after every change.</summary>
    public async Task WaitUntilAsync(Func<KeeperSnapshot, bool> condition, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(condition);
        while (true)
        {
            Task changed;
            lock (_gate) changed = _changed.Task;
            if (condition(Snapshot())) return;
            await changed.WaitAsync(ct);
        }
    }

    /// <summary>Completes at the keeper's next change of state (an event handled, a tick done).</summary>
    public Task NextChangeAsync(CancellationToken ct)
    {
        lock (_gate) return _changed.Task.WaitAsync(ct);
    }

    private void Signal()
    {
        TaskCompletionSource previous;
        lock (_gate)
        {
            previous = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        previous.TrySetResult();
    }

    private async Task LoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await TickAsync(ct);
                await Task.Delay(TickInterval, _time, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                LogTickFailed(FailureEpisode.OneLine(ex));
                await Task.Delay(TickInterval, _time, ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>
    /// One writer step (the loop runs it every second; tests call it directly): lease, backfill on taking
    /// the lead, REST polling while on the fallback path, then the due writes. Never throws for storage or
    /// venue trouble: those are counted and told as one episode each.
    /// </summary>
    public async Task TickAsync(CancellationToken ct)
    {
        await _tickLock.WaitAsync(ct);
        try
        {
            if (!await EnsureTablesAsync(ct)) return;
            await HoldLeaseAsync(ct);
            lock (_gate) _dataPath = Record(_dataPath.OnTick(_policy, _time.GetUtcNow()));
            if (!IsLeader)
            {
                Signal();
                return;
            }
            await BackfillPendingAccountsAsync(ct);
            await PollRestIfFallbackAsync(ct);
            await WriteDueAsync(ct);
        }
        finally
        {
            _tickLock.Release();
            Signal();
        }
    }

    private bool IsLeader { get { lock (_gate) return _isLeader; } }

    private async Task<bool> EnsureTablesAsync(CancellationToken ct)
    {
        if (_tablesReady) return true;
        if (!await StorageAsync(t => _store.EnsureTablesAsync(t), ct)) return false;
        lock (_gate) _tablesReady = true;
        return true;
    }

    private async Task HoldLeaseAsync(CancellationToken ct)
    {
        // The lease runs on storage's real clock, so renewal is paced by real time (a third of the lease).
        var wasLeader = IsLeader;
        if (!await MayLeadAsync(ct))
        {
            if (wasLeader) await HandOverAsync(ct);
            await ReadLeaderAsync(ct); // stays hot: connected, memory current, the leader named
            return;
        }
        if (wasLeader && _sinceLeaseCall.IsRunning && _sinceLeaseCall.Elapsed < _lease.Duration / 3) return;
        bool held;
        try
        {
            held = await StorageTimeout.BoundAsync(_lease.TryHoldAsync, _operationTimeout, ct);
            _sinceLeaseCall.Restart();
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            _storageEpisode.Failed(ex);
            lock (_gate) _lastStorageError = FailureEpisode.OneLine(ex);
            held = false; // cannot prove the lease: a writer that may have lost it must stop writing
        }

        if (held && !wasLeader)
        {
            lock (_gate)
            {
                _isLeader = true;
                _leader = Self;
                foreach (var a in _accounts.Values) a.BeginLeadership();
            }
            LogLeadershipTaken(Self);
            Enqueue("LEADER_ACQUIRED", $"{Self} holds the keeper lease and writes");
        }
        else if (!held && wasLeader)
        {
            lock (_gate)
            {
                _isLeader = false;
                foreach (var a in _accounts.Values) a.EndLeadership();
                _pendingOrders.Clear();
            }
            LogLeadershipLost(Self);
        }

        if (!held) await ReadLeaderAsync(ct);
    }

    /// <summary>A standby names the leader from the heartbeat it reads.</summary>
    private async Task ReadLeaderAsync(CancellationToken ct)
    {
        try
        {
            var hb = await StorageTimeout.BoundAsync(_store.ReadHeartbeatAsync, _operationTimeout, ct);
            lock (_gate) _leader = hb?.Leader;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            _storageEpisode.Failed(ex);
        }
    }

    /// <summary>
    /// Whether this keeper may take or keep the lead (its site is the active one). When the answer cannot be
    /// read (storage down), the last answer stands; with none yet, the lease alone decides, as without failover.
    /// A change of answer is told once (one log line per change, not per tick).
    /// </summary>
    private async Task<bool> MayLeadAsync(CancellationToken ct)
    {
        LeadershipEligibility answer;
        try
        {
            answer = await StorageTimeout.BoundAsync(_eligibility.CheckAsync, _operationTimeout, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            _storageEpisode.Failed(ex);
            lock (_gate) return _eligible?.Eligible ?? true;
        }
        LeadershipEligibility? before;
        lock (_gate)
        {
            before = _eligible;
            _eligible = answer;
        }
        if (before?.Eligible != answer.Eligible && (before is not null || !answer.Eligible))
        {
            if (answer.Eligible) LogMayLeadAgain(Self, answer.Reason);
            else LogMayNotLead(Self, answer.Reason);
        }
        return answer.Eligible;
    }

    /// <summary>
    /// This keeper's site became passive while it led: it writes what it has (fills and their cursors first, and a
    /// LEADER_HANDED_OVER event), then releases the lease so the active site's keeper takes it on its next tick.
    /// </summary>
    private async Task HandOverAsync(CancellationToken ct)
    {
        string reason;
        lock (_gate) reason = _eligible?.Reason ?? "site passive";
        Enqueue("LEADER_HANDED_OVER", $"{Self} releases the keeper lease: {reason}");
        await WriteDueAsync(ct);
        await _lease.ReleaseAsync(ct);
        lock (_gate)
        {
            _isLeader = false;
            foreach (var a in _accounts.Values) a.EndLeadership();
            _pendingOrders.Clear();
            _pendingEvents.Clear(); // an event that could not be written is not carried into the standby
        }
        LogLeadershipHandedOver(Self, reason);
    }

    private async Task BackfillPendingAccountsAsync(CancellationToken ct)
    {
        List<AccountState> due;
        lock (_gate) due = [.. _accounts.Values.Where(a => a.Backfill is BackfillState.Pending)];
        foreach (var account in due)
        {
            StreamCursor? cursor;
            try
            {
                cursor = await StorageTimeout.BoundAsync(t => _store.ReadCursorAsync(account.Address, t), _operationTimeout, ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                _storageEpisode.Failed(ex);
                continue; // next tick tries again; the cursor has not moved
            }

            var now = _time.GetUtcNow();
            var plan = BackfillPlanner.Plan(cursor?.LastTimeAt, now, TimeSpan.FromSeconds(_settings.BackfillWindowSeconds), _settings.MaintenanceSkipGap);
            switch (plan)
            {
                case BackfillPlan.Fresh:
                    var start = new StreamCursor(account.Address, "", now.ToUnixTimeMilliseconds(), now);
                    if (await StorageAsync(t => _store.WriteCursorAsync(start, t), ct))
                    {
                        lock (_gate) account.Resume(start);
                        LogBackfill(account.Address, "fresh: no cursor yet, following from now", 0);
                    }
                    break;
                case BackfillPlan.Backfill b:
                    var fetched = await FetchFillsAsync(account.Address, b.From, b.To, ct);
                    if (fetched is null) break; // told and counted; still pending: nothing written, the cursor stays, next tick tries again
                    _restEpisode.Succeeded();
                    lock (_gate)
                    {
                        foreach (var f in fetched) account.Offer(f);
                        account.Resume(cursor!);
                    }
                    LogBackfill(account.Address, $"from {b.From:O} to {b.To:O}", fetched.Count);
                    Enqueue("BACKFILL", $"{account.Address}: {fetched.Count} fills from {b.From:O} to {b.To:O}");
                    break;
                case BackfillPlan.Exceeded x:
                    var message = $"{account.Address}: gap from {x.From:O} to {x.To:O} is beyond the backfill window of {x.Window.TotalSeconds:F0} s (Keeper:BackfillWindowSeconds); the cursor stays. Set Keeper:MaintenanceSkipGap to skip it.";
                    var raised = await _ledger.ApplyAsync(new RaiseCondition(ReasonCode.BackfillWindowExceeded, SafetyMode.Halt, "stream-keeper", message), ct);
                    if (raised is not (LedgerResult.Applied or LedgerResult.Unchanged)) break; // not recorded: try again next tick
                    lock (_gate) account.Halt(cursor!);
                    LogBackfillExceeded(account.Address, x.From, x.To);
                    Enqueue("BACKFILL_WINDOW_EXCEEDED", message);
                    break;
                case BackfillPlan.Skip s:
                    var skip = await _ledger.ApplyAsync(new MaintenanceSkip(s.From, s.To, now, "stream-keeper", $"Account {account.Address}; Keeper:MaintenanceSkipGap=true."), ct);
                    if (skip is not (LedgerResult.Applied or LedgerResult.Unchanged)) break; // not recorded: the cursor must not move
                    var moved = new StreamCursor(account.Address, "", s.To.ToUnixTimeMilliseconds(), now);
                    if (await StorageAsync(t => _store.WriteCursorAsync(moved, t), ct))
                    {
                        lock (_gate) account.Resume(moved);
                        LogMaintenanceSkip(account.Address, s.From, s.To);
                        Enqueue("MAINTENANCE_SKIP", $"{account.Address}: skipped {s.From:O} to {s.To:O}, applied {now:O}");
                    }
                    break;
            }
        }
    }

    /// <summary>
    /// userFillsByTime from <paramref name="from"/>, paged by time (the venue caps each answer); null when the
    /// venue failed or answered with the wrong shape (then told through the REST episode, and counted). A page
    /// with one fill that is not whole refuses the whole fetch: applying the rest would let the cursor pass a fill.
    /// </summary>
    private async Task<List<Fill>?> FetchFillsAsync(string account, DateTimeOffset from, DateTimeOffset? to, CancellationToken ct)
    {
        var all = new List<Fill>();
        var start = from.ToUnixTimeMilliseconds();
        try
        {
            while (true)
            {
                var page = await _info.GetUserFillsByTimeAsync(account, DateTimeOffset.FromUnixTimeMilliseconds(start), to, ct);
                if (VenueShapes.WhyNotWhole(page) is { } why)
                    throw new WrongShapeException("info:UserFillsByTime", why, BadInput.Excerpt(string.Join(", ", page?.Take(2).Select(f => f?.ToString()) ?? [])));
                all.AddRange(page);
                var next = FillPaging.NextStart(start, [.. page.Select(f => f.Time)], _settings.BackfillPageSize);
                if (next is not { } n) break;
                start = n;
            }
            return [.. all.DistinctBy(f => (f.Hash, f.Tid))]; // pages overlap on their boundary millisecond
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && ex is HyperliquidException or HttpRequestException or System.Text.Json.JsonException or InvalidOperationException or WrongShapeException)
        {
            RestFailed(ex);
            return null;
        }
    }

    /// <summary>
    /// One failed REST call, told as part of the REST episode (one warning when it starts, one line when it
    /// ends). An answer of the wrong shape is also bad input: counted in status, and its excerpt is what the
    /// episode's warning shows, so it is logged once per episode, not once per poll. Transport failures and
    /// 429s are not bad input.
    /// </summary>
    private void RestFailed(Exception ex)
    {
        var told = ex switch
        {
            HyperliquidBadAnswerException bad => new WrongShapeException(bad.Endpoint, "not the expected JSON", BadInput.Excerpt(bad.Body), bad),
            System.Text.Json.JsonException json => new WrongShapeException("REST answer", "not the expected JSON", BadInput.Excerpt(json.Message), json),
            _ => ex,
        };
        if (told is WrongShapeException)
        {
            lock (_gate) _badInputs++;
        }
        _restEpisode.Failed(told);
    }

    private async Task PollRestIfFallbackAsync(CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (_dataPath.Source != DataSource.Rest) return;
            if (_lastRestPoll is { } last && now - last < TimeSpan.FromSeconds(_settings.RestPollIntervalSeconds)) return;
            _lastRestPoll = now;
        }
        try
        {
            foreach (var coin in _settings.EffectiveCoins)
            {
                var book = await _info.GetL2BookAsync(coin, ct);
                if (VenueShapes.WhyNotWhole(book, coin) is { } why) throw new WrongShapeException("info:L2Book", why, BadInput.Excerpt($"coin={book?.Coin ?? "null"}, time={book?.Time}, levels={(book?.Levels is null ? "null" : book.Levels.Count)}"));
                lock (_gate) ApplyBook(book, DataSource.Rest);
            }
            var contexts = await _info.GetMetaAndAssetContextsAsync(ct);
            if (VenueShapes.WhyNotWhole(contexts) is { } wrong) throw new WrongShapeException("info:MetaAndAssetCtxs", wrong, BadInput.Excerpt($"universe={contexts?.Meta?.Universe?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"}, contexts={contexts?.Contexts?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"}"));
            var received = _time.GetUtcNow();
            lock (_gate)
            {
                for (var i = 0; i < Math.Min(contexts.Meta.Universe.Count, contexts.Contexts.Count); i++)
                {
                    if (_coins.Contains(contexts.Meta.Universe[i].Name)) ApplyContext(contexts.Meta.Universe[i].Name, contexts.Contexts[i], received, DataSource.Rest);
                }
            }
            var whole = true;
            foreach (var account in _settings.EffectiveAccounts)
            {
                AccountState state;
                lock (_gate) state = _accounts[account];
                var from = state.CursorTime ?? now;
                var fills = await FetchFillsAsync(account, from, null, ct);
                if (fills is null) { whole = false; continue; } // told by FetchFillsAsync; the episode goes on
                lock (_gate) foreach (var f in fills) state.Offer(f);
            }
            lock (_gate)
            {
                _restPolls++;
                _restHealthy = true;
                _lastDataAt = _time.GetUtcNow();
            }
            if (whole) _restEpisode.Succeeded();
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            lock (_gate) _restHealthy = false;
            RestFailed(ex);
        }
    }

    private async Task WriteDueAsync(CancellationToken ct)
    {
        var now = _time.GetUtcNow();

        // Fills first: a cursor moves only after the fills it covers are stored.
        List<(AccountState Account, List<StoredFill> Fills)> fillWork;
        lock (_gate) fillWork = [.. _accounts.Values.Select(a => (a, a.TakeWritable())).Where(x => x.Item2.Count > 0)];
        foreach (var (account, fills) in fillWork)
        {
            if (!await StorageAsync(t => _store.WriteFillsAsync(fills, t), ct))
            {
                lock (_gate) account.Return(fills);
                continue;
            }
            lock (_gate) _fillsWritten += fills.Count;
            StreamCursor? advanced;
            lock (_gate) advanced = account.Advance(fills, now);
            if (advanced is not null && !await StorageAsync(t => _store.WriteCursorAsync(advanced, t), ct))
            {
                lock (_gate) account.CursorWriteFailed();
            }
        }

        List<StoredOrderUpdate> orders;
        lock (_gate)
        {
            orders = [.. _pendingOrders.Values];
            _pendingOrders.Clear();
        }
        if (orders.Count > 0)
        {
            if (await StorageAsync(t => _store.WriteOrderUpdatesAsync(orders, t), ct)) { lock (_gate) _orderUpdatesWritten += orders.Count; }
            else lock (_gate) foreach (var o in orders) _pendingOrders.TryAdd(o.Key, o);
        }

        IReadOnlyList<KeyValuePair<string, MarketFact>> markets;
        lock (_gate) markets = _marketWrites.TakeDue(now);
        if (markets.Count > 0 && !await StorageAsync(t => _store.WriteMarketsAsync([.. markets.Select(m => m.Value)], t), ct))
        {
            lock (_gate) _marketWrites.Return(markets);
        }

        List<StreamEventRecord> events;
        lock (_gate)
        {
            events = [.. _pendingEvents];
            _pendingEvents.Clear();
        }
        foreach (var ev in events)
        {
            if (!await StorageAsync(t => _store.AppendEventAsync(ev, t), ct)) { lock (_gate) _pendingEvents.Add(ev); }
        }

        bool heartbeatDue;
        lock (_gate) heartbeatDue = _heartbeatWrittenAt is not { } at || now - at >= TimeSpan.FromSeconds(_settings.HeartbeatIntervalSeconds);
        if (heartbeatDue)
        {
            var heartbeat = BuildHeartbeat(now);
            if (await StorageAsync(t => _store.WriteHeartbeatAsync(heartbeat, t), ct)) { lock (_gate) _heartbeatWrittenAt = now; }
        }
    }

    private KeeperHeartbeat BuildHeartbeat(DateTimeOffset now)
    {
        var stats = _socket.GetStatistics();
        lock (_gate)
        {
            return new KeeperHeartbeat(now, stats.Connected, _dataPath.Source, stats.LastMessageAt, stats.ReconnectsTotal, stats.Attempts,
                stats.ConsecutiveFailures, stats.LastDisconnect?.ToString(), stats.ConnectedSince, Self, stats.MessagesReceived, _badInputs, _lastDataAt);
        }
    }

    /// <summary>Runs one storage call within the operation timeout; false (counted, one episode) on failure.</summary>
    private async Task<bool> StorageAsync(Func<CancellationToken, Task> write, CancellationToken ct)
    {
        try
        {
            await StorageTimeout.BoundAsync(write, _operationTimeout, ct);
            lock (_gate) _storageWrites++;
            _storageEpisode.Succeeded();
            return true;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            _storageEpisode.Failed(ex);
            lock (_gate) _lastStorageError = FailureEpisode.OneLine(ex);
            return false;
        }
    }

    private void Enqueue(string kind, string detail)
    {
        lock (_gate) _pendingEvents.Add(new StreamEventRecord(_time.GetUtcNow(), kind, detail, Self));
    }

    private DataPathState Record(DataPathState next)
    {
        // Called under _gate.
        if (next.Switched is { } to)
        {
            _pendingEvents.Add(new StreamEventRecord(_time.GetUtcNow(), to == DataSource.Rest ? "FALLBACK_TO_REST" : "BACK_TO_WEBSOCKET",
                to == DataSource.Rest
                    ? $"{next.ConsecutiveFailures} failed reconnect attempts (Keeper:FallbackAfterFailures={_settings.FallbackAfterFailures}); polling REST, retrying the socket in the background"
                    : $"socket stable for {_settings.HandBackAfterSeconds} s (Keeper:HandBackAfterSeconds); REST polling stopped",
                Self));
            LogDataSourceSwitched(to.ToWire(), next.ConsecutiveFailures);
        }
        return next;
    }

    private async Task ConsumeAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var ev in _socket.Events.ReadAllAsync(ct))
            {
                try
                {
                    Handle(ev);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    CountBadInput("event-" + ev.GetType().Name, ex.GetType().Name, ex.Message); // never a crash
                }
                Signal();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // stopping
        }
    }

    private void Handle(HyperliquidEvent ev)
    {
        var now = ev.ReceivedAt;
        switch (ev)
        {
            case L2BookEvent book:
                lock (_gate)
                {
                    if (!_coins.Contains(book.Book.Coin)) { CountBadInputLocked("l2Book-unknown-coin", book.Book.Coin); break; }
                    ApplyBook(book.Book, DataSource.WebSocket);
                    _lastDataAt = now;
                    _dataPath = Record(_dataPath.OnSocketData(_policy, now));
                }
                break;
            case ActiveAssetCtxEvent ctx:
                lock (_gate)
                {
                    if (!_coins.Contains(ctx.Context.Coin)) { CountBadInputLocked("activeAssetCtx-unknown-coin", ctx.Context.Coin); break; }
                    ApplyContext(ctx.Context.Coin, ctx.Context.Ctx, now, DataSource.WebSocket);
                    _lastDataAt = now;
                    _dataPath = Record(_dataPath.OnSocketData(_policy, now));
                }
                break;
            case UserFillsEvent fills:
                lock (_gate)
                {
                    _lastDataAt = now;
                    _dataPath = Record(_dataPath.OnSocketData(_policy, now));
                    var user = fills.Payload.User.ToLowerInvariant();
                    if (!_accounts.TryGetValue(user, out var account)) { CountBadInputLocked("userFills-unknown-user", user); break; }
                    foreach (var f in fills.Payload.Fills)
                    {
                        if (VenueShapes.WhyNotWhole(f) is { } why) { CountBadInputLocked("fill-wrong-shape", $"{why}: {f}"); continue; } // cannot be keyed: never stored
                        if (!_coins.Contains(f.Coin)) CountBadInputLocked("fill-unlisted-coin", f.Coin); // still a fill of the account: kept
                        account.Offer(f);
                    }
                }
                break;
            case OrderUpdatesEvent orders:
                lock (_gate)
                {
                    _lastDataAt = now;
                    _dataPath = Record(_dataPath.OnSocketData(_policy, now));
                    if (!_isLeader) break;
                    // The channel does not name the user: with one followed account it is that one.
                    var owner = _accounts.Count == 1 ? _accounts.Keys.First() : "*";
                    foreach (var u in orders.Updates)
                    {
                        var stored = new StoredOrderUpdate(owner, u.Order.Coin, u.Order.Side, u.Order.LimitPx, u.Order.Sz, u.Order.Oid, u.Order.Timestamp,
                            u.Order.OrigSz, u.Order.Cloid, u.Status, u.StatusTimestamp);
                        if (_pendingOrders.Count < AccountState.MaxPending) _pendingOrders[stored.Key] = stored;
                        else CountBadInputLocked("order-updates-overflow", $"{_pendingOrders.Count} order updates waiting for storage");
                    }
                }
                break;
            case ConnectionEvent { Kind: ConnectionEventKind.Disconnected } lost:
                lock (_gate)
                {
                    if (lost.Disconnect == DisconnectKind.CorruptData) CountBadInputLocked("corrupt-frame", lost.Detail ?? "");
                    _dataPath = Record(_dataPath.OnSocketFailure(_policy, now));
                }
                break;
            case ConnectionEvent { Kind: ConnectionEventKind.DataFlowing }:
                lock (_gate) _dataPath = Record(_dataPath.OnSocketData(_policy, now));
                break;
            case UnknownChannelEvent unknown:
                CountBadInput("unknown-channel:" + unknown.Channel, unknown.Channel, unknown.Data);
                break;
            case VenueErrorEvent error:
                CountBadInput("venue-error", "error", error.Message);
                break;
        }
    }

    private void ApplyBook(L2Book book, DataSource source)
    {
        var bids = book.Bids;
        var asks = book.Asks;
        decimal? bid = bids.Count > 0 ? bids[0].Px : null;
        decimal? ask = asks.Count > 0 ? asks[0].Px : null;
        decimal? mid = bid is { } b && ask is { } a ? (b + a) / 2 : null;
        var current = _markets.TryGetValue(book.Coin, out var m) ? m : Empty(book.Coin);
        var next = current with
        {
            Mid = mid,
            BestBid = bid,
            BestAsk = ask,
            BookAt = DateTimeOffset.FromUnixTimeMilliseconds(book.Time),
            BidDepth = bids.Sum(l => l.Sz),
            AskDepth = asks.Sum(l => l.Sz),
            BidLevels = bids.Count,
            AskLevels = asks.Count,
            Source = source,
        };
        _markets[book.Coin] = next;
        _marketWrites.Offer(book.Coin, next);
    }

    private void ApplyContext(string coin, AssetContext ctx, DateTimeOffset receivedAt, DataSource source)
    {
        var current = _markets.TryGetValue(coin, out var m) ? m : Empty(coin);
        var next = current with { Funding = ctx.Funding, MarkPx = ctx.MarkPx, OraclePx = ctx.OraclePx, FundingAt = receivedAt, Source = source };
        _markets[coin] = next;
        _marketWrites.Offer(coin, next);
    }

    private static MarketFact Empty(string coin) => new(coin, null, null, null, null, 0, 0, 0, 0, null, null, null, null, DataSource.WebSocket);

    private void CountBadInput(string kind, string what, string? bytes)
    {
        lock (_gate) CountBadInputLocked(kind, bytes ?? what);
    }

    private void CountBadInputLocked(string kind, string excerpt)
    {
        _badInputs++;
        if (_loggedBadInputs.Count < 256 && _loggedBadInputs.Add(kind)) LogBadInput(kind, BadInput.Excerpt(excerpt));
    }

    [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "Stream keeper {Self} started: coins {Coins}, {Accounts} accounts followed")]
    private partial void LogStarted(string self, string coins, int accounts);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Information, Message = "Stream keeper {Self} holds the lease: it writes now")]
    private partial void LogLeadershipTaken(string self);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Warning, Message = "Stream keeper {Self} lost the lease: it stops writing and stays ready as standby")]
    private partial void LogLeadershipLost(string self);

    [LoggerMessage(EventId = 1404, Level = LogLevel.Warning, Message = "Data source is now {Source} (consecutive socket failures: {Failures})")]
    private partial void LogDataSourceSwitched(string source, int failures);

    [LoggerMessage(EventId = 1405, Level = LogLevel.Information, Message = "Backfill of {Account}: {What}; {Fills} fills")]
    private partial void LogBackfill(string account, string what, int fills);

    [LoggerMessage(EventId = 1406, Level = LogLevel.Error, Message = "Backfill of {Account} refused: the gap from {From:O} to {To:O} is beyond the window; HALT BACKFILL_WINDOW_EXCEEDED, cursor kept")]
    private partial void LogBackfillExceeded(string account, DateTimeOffset from, DateTimeOffset to);

    [LoggerMessage(EventId = 1407, Level = LogLevel.Warning, Message = "Maintenance skip for {Account}: fills from {From:O} to {To:O} not backfilled; cursor moved; ARMED_SAFE until an operator promotes")]
    private partial void LogMaintenanceSkip(string account, DateTimeOffset from, DateTimeOffset to);

    [LoggerMessage(EventId = 1408, Level = LogLevel.Warning, Message = "Bad input ({Kind}), counted in status; further ones of this kind are counted, not logged: {Excerpt}")]
    private partial void LogBadInput(string kind, string excerpt);

    [LoggerMessage(EventId = 1420, Level = LogLevel.Warning, Message = "Stream keeper {Self} handed the lead over: {Reason}; lease released, it stays connected as standby")]
    private partial void LogLeadershipHandedOver(string self, string reason);

    [LoggerMessage(EventId = 1421, Level = LogLevel.Information, Message = "Stream keeper {Self} does not compete for the lead: {Reason}; it stays connected and hot")]
    private partial void LogMayNotLead(string self, string reason);

    [LoggerMessage(EventId = 1422, Level = LogLevel.Information, Message = "Stream keeper {Self} competes for the lead again: {Reason}")]
    private partial void LogMayLeadAgain(string self, string reason);

    [LoggerMessage(EventId = 1409, Level = LogLevel.Warning, Message = "Keeper tick failed: {Cause}")]
    private partial void LogTickFailed(string cause);
}
