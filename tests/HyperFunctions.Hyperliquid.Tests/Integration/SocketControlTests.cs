using HyperFunctions.Hyperliquid.Models;
using HyperFunctions.Hyperliquid.Policies;
using HyperFunctions.Hyperliquid.Socket;
using HyperFunctions.Hyperliquid.Tests.Support;

namespace HyperFunctions.Hyperliquid.Tests.Integration;

/// <summary>Breaker, backoff on the clock, auto-reconnect switch, subscriptions while connected, shutdown.</summary>
public sealed class SocketControlTests
{
    [Fact]
    public async Task Circuit_opens_after_consecutive_failures_and_a_trial_after_the_cool_off_closes_it()
    {
        await using var h = await SocketHarness.StartAsync(
            o =>
            {
                o.BreakerFailureThreshold = 3;
                o.BreakerCoolOff = TimeSpan.FromMinutes(2);
            },
            Subscription.L2Book("BTC"));
        await h.Log.WaitForAsync(ConnectionEventKind.DataFlowing);
        var reject = h.Sim.Faults.RejectConnections();
        var before = h.Log.Count;
        h.Sim.Faults.DropConnections();

        var (lostAt, _) = await h.Log.WaitForAsync(ConnectionEventKind.Disconnected, before);
        var retry1 = await h.AdvanceThroughNextRetryAsync(lostAt);
        Assert.Equal(TimeSpan.Zero, retry1.Delay); // first retry immediate
        var (f1, fail1) = await h.Log.WaitForAsync<ConnectionEvent>(c => c.Kind == ConnectionEventKind.Disconnected && c.Disconnect == DisconnectKind.ConnectFailed, lostAt + 1);
        var retry2 = await h.AdvanceThroughNextRetryAsync(f1);
        Assert.Equal(TimeSpan.FromSeconds(1), retry2.Delay); // 1 s, jitter centred by the injected random
        var (f2, _) = await h.Log.WaitForAsync<ConnectionEvent>(c => c.Disconnect == DisconnectKind.ConnectFailed, f1 + 1);
        var retry3 = await h.AdvanceThroughNextRetryAsync(f2);
        Assert.Equal(TimeSpan.FromSeconds(2), retry3.Delay);
        var (f3, _) = await h.Log.WaitForAsync<ConnectionEvent>(c => c.Disconnect == DisconnectKind.ConnectFailed, f2 + 1);

        var (openAt, open) = await h.Log.WaitForAsync(ConnectionEventKind.CircuitOpened, f3);
        Assert.Equal(TimeSpan.FromMinutes(2), open.Delay);
        var stats = h.Socket.GetStatistics();
        Assert.Equal(CircuitState.Open, stats.Circuit);
        Assert.Equal(1, stats.CircuitOpenings);
        Assert.Equal(3, stats.ConsecutiveFailures);
        Assert.True(stats.Reconnecting);
        Assert.False(stats.Connected);
        Assert.Equal(4, stats.Attempts);
        Assert.Equal(0.25, stats.SuccessRate);
        Assert.Equal(3, stats.DisconnectCount(DisconnectKind.ConnectFailed));
        Assert.Equal(3, h.Sim.Stats.ConnectionsRejected); // no attempt during the cool-off

        reject.Remove();
        h.Time.Advance(TimeSpan.FromMinutes(2));
        await h.Log.WaitForAsync(ConnectionEventKind.DataFlowing, openAt);
        stats = h.Socket.GetStatistics();
        Assert.Equal(CircuitState.Closed, stats.Circuit);
        Assert.Equal(0, stats.ConsecutiveFailures);
        Assert.Equal(5, stats.Attempts);
        Assert.Equal(2, stats.Successes);
        Assert.Equal(3, h.Sim.Stats.ConnectionsRejected);
        Assert.NotNull(fail1.Detail);
    }

    [Fact]
    public async Task Auto_reconnect_can_be_disabled_and_enabled()
    {
        await using var h = await SocketHarness.StartAsync(null, Subscription.AllMids());
        await h.Log.WaitForAsync(ConnectionEventKind.DataFlowing);
        h.Socket.DisableAutoReconnect();
        var before = h.Log.Count;
        h.Sim.Faults.Goodbye();

        var (waitingAt, _) = await h.Log.WaitForAsync(ConnectionEventKind.WaitingForEnable, before);
        await h.Sim.WaitForConnectionsAsync(0, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));
        var stats = h.Socket.GetStatistics();
        Assert.False(stats.AutoReconnectEnabled);
        Assert.False(stats.Connected);
        Assert.False(stats.Reconnecting);
        Assert.Equal(1, stats.Attempts);

        h.Socket.EnableAutoReconnect();
        await h.Log.WaitForAsync(ConnectionEventKind.DataFlowing, waitingAt);
        Assert.True(h.Socket.GetStatistics().AutoReconnectEnabled);
        Assert.Equal(1, h.Socket.GetStatistics().ReconnectsTotal);
    }

    [Fact]
    public async Task A_subscription_added_while_connected_is_sent_now_and_kept_for_reconnects()
    {
        await using var h = await SocketHarness.StartAsync(null, Subscription.AllMids());
        await h.Log.WaitForAsync(ConnectionEventKind.DataFlowing);

        await h.Socket.SubscribeAsync(Subscription.L2Book("ETH"), CancellationToken.None);
        await h.Log.WaitForAsync<L2BookEvent>(b => b.Book.Coin == "ETH");
        await h.Socket.UnsubscribeAsync(Subscription.AllMids(), CancellationToken.None);
        await h.Sim.WaitUntilAsync(() => h.Sim.Connections is [{ Subscriptions: ["l2Book:ETH"] }], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));

        var before = h.Log.Count;
        h.Sim.Faults.DropConnections();
        var (lostAt, _) = await h.Log.WaitForAsync(ConnectionEventKind.Disconnected, before);
        await h.Log.WaitForAsync(ConnectionEventKind.DataFlowing, lostAt);
        await h.Sim.WaitUntilAsync(() => h.Sim.Connections is [{ Subscriptions: ["l2Book:ETH"] }], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(1, h.Socket.GetStatistics().Subscriptions);
    }

    [Fact]
    public async Task Dispose_sends_a_close_frame_and_leaves_nothing_running()
    {
        var h = await SocketHarness.StartAsync(null, Subscription.AllMids());
        await h.Log.WaitForAsync(ConnectionEventKind.DataFlowing);

        await h.Socket.DisposeAsync();

        await h.Log.CompletionAsync();
        Assert.IsType<ConnectionEvent>(h.Log.Snapshot()[^1]);
        Assert.Equal(ConnectionEventKind.Stopped, ((ConnectionEvent)h.Log.Snapshot()[^1]).Kind);
        Assert.Equal(DisconnectKind.Closed, h.Socket.GetStatistics().LastDisconnect);
        await h.Sim.WaitForConnectionsAsync(0, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(0, h.Sim.Stats.ConnectionsAborted);
        await h.Sim.DisposeAsync();
    }
}
