using System.Net.WebSockets;
using HyperFunctions.Simulator.Tests.Support;

namespace HyperFunctions.Simulator.Tests;

public sealed class KeepAliveTests
{
    [Fact]
    public async Task Ping_is_answered_with_pong()
    {
        await using var h = await SimHarness.StartAsync();
        await using var ws = await h.ConnectAsync();

        await ws.PingAsync(h.Timeout);

        Assert.Equal("""{"channel":"pong"}""", await ws.ReceiveTextAsync(h.Timeout));
    }

    [Fact]
    public async Task A_connection_on_which_the_client_sends_nothing_is_closed_after_60_seconds()
    {
        await using var h = await SimHarness.StartAsync(tp => new SimulatorOptions { TimeProvider = tp, MarketTickInterval = TimeSpan.Zero });
        await using var ws = await h.ConnectAsync();
        await h.Sim.WaitForConnectionsAsync(1, h.Timeout);

        h.Time.Advance(TimeSpan.FromSeconds(59));

        // The close counter moves only once the close is written, so it cannot show there is none yet. An
        // injected frame (not client activity) would be dropped behind a queued close: receiving it can.
        h.Sim.Faults.SendCorruptFrames(frame: "still open at 59 s");
        Assert.Equal("still open at 59 s", await ws.ReceiveTextAsync(h.Timeout));
        h.Time.Advance(TimeSpan.FromSeconds(1));

        var frame = await ws.ReceiveAsync(h.Timeout);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, frame.CloseStatus);
        Assert.Equal("idle timeout", frame.CloseDescription);
        await ws.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", h.Timeout);
        await h.Sim.WaitForConnectionsAsync(0, h.Timeout);
        Assert.Equal(1, h.Sim.Stats.ConnectionsClosedByServer);
    }

    [Fact]
    public async Task A_client_that_never_answers_the_close_is_disconnected_after_the_grace()
    {
        await using var h = await SimHarness.StartAsync(tp => new SimulatorOptions { TimeProvider = tp, MarketTickInterval = TimeSpan.Zero });
        await using var ws = await h.ConnectAsync();
        await h.Sim.WaitForConnectionsAsync(1, h.Timeout);
        h.Time.Advance(TimeSpan.FromSeconds(60));
        Assert.True((await ws.ReceiveAsync(h.Timeout)).IsClose);
        await h.Sim.WaitUntilAsync(() => h.Sim.Stats.ConnectionsClosedByServer == 1, h.Timeout);

        h.Time.Advance(TimeSpan.FromSeconds(5));

        await h.Sim.WaitForConnectionsAsync(0, h.Timeout);
    }

    [Fact]
    public async Task Pings_every_50_seconds_keep_the_connection_open_well_past_60_seconds()
    {
        await using var h = await SimHarness.StartAsync(tp => new SimulatorOptions { TimeProvider = tp, MarketTickInterval = TimeSpan.Zero });
        await using var ws = await h.ConnectAsync();
        await h.Sim.WaitForConnectionsAsync(1, h.Timeout);

        for (var i = 0; i < 4; i++)
        {
            h.Time.Advance(TimeSpan.FromSeconds(50));
            await ws.PingAsync(h.Timeout);
            Assert.Equal("""{"channel":"pong"}""", await ws.ReceiveTextAsync(h.Timeout));
        }

        Assert.Equal(WebSocketState.Open, ws.Socket.State);
        Assert.Equal(0, h.Sim.Stats.ConnectionsClosedByServer);
        Assert.Equal(1, h.Sim.Stats.ActiveConnections);
    }

    [Fact]
    public async Task Server_messages_do_not_count_as_client_activity()
    {
        await using var h = await SimHarness.StartAsync();
        await using var ws = await h.ConnectAsync();
        await ws.SubscribeAsync("""{"type":"allMids"}""", h.Timeout);
        h.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal("allMids", (string?)(await ws.ReceiveJsonAsync(h.Timeout))["channel"]);

        h.Time.Advance(TimeSpan.FromSeconds(30));

        var frame = await ws.WaitUntilCloseAsync(h.Timeout);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, frame.CloseStatus);
    }
}
