using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using HyperFunctions.Simulator.Tests.Support;

namespace HyperFunctions.Simulator.Tests;

public sealed class ConnectionFaultTests
{
    [Fact]
    public async Task DropConnections_aborts_the_socket_without_a_close_frame()
    {
        await using var h = await SimHarness.StartAsync();
        await using var ws = await h.ConnectAsync();
        await ws.SubscribeAsync("""{"type":"l2Book","coin":"BTC"}""", h.Timeout);
        await h.Sim.WaitForConnectionsAsync(1, h.Timeout);

        var fault = h.Sim.Faults.DropConnections();

        var frame = await ws.WaitUntilCloseAsync(h.Timeout);
        Assert.True(frame.Aborted);
        Assert.Null(frame.CloseStatus);
        await h.Sim.WaitForConnectionsAsync(0, h.Timeout);
        Assert.Equal(1, fault.Applied);
        Assert.False(fault.IsActive);
        Assert.Equal(1, h.Sim.Stats.ConnectionsAborted);
        await using var again = await h.ConnectAsync();
        await again.PingAsync(h.Timeout);
        Assert.Equal("pong", (string?)(await again.ReceiveJsonAsync(h.Timeout))["channel"]);
    }

    [Fact]
    public async Task DropConnections_with_a_duration_also_drops_new_connections_until_it_ends()
    {
        await using var h = await SimHarness.StartAsync();
        h.Sim.Faults.DropConnections(duration: TimeSpan.FromSeconds(30));

        Assert.True(await IsDroppedAsync(h));
        await h.Sim.WaitUntilAsync(() => h.Sim.Stats.ConnectionsAborted == 1, h.Timeout);

        h.Time.Advance(TimeSpan.FromSeconds(30));
        await using var after = await h.ConnectAsync();
        await after.PingAsync(h.Timeout);
        Assert.Equal("pong", (string?)(await after.ReceiveJsonAsync(h.Timeout))["channel"]);
    }

    [Fact]
    public async Task RejectConnections_refuses_the_next_upgrades()
    {
        await using var h = await SimHarness.StartAsync();
        var fault = h.Sim.Faults.RejectConnections(count: 2);

        for (var i = 0; i < 2; i++)
        {
            await Assert.ThrowsAsync<WebSocketException>(() => WsTestClient.ConnectAsync(h.Sim.WsUrl, h.Timeout));
        }

        await using var third = await h.ConnectAsync();
        Assert.Equal(2, h.Sim.Stats.ConnectionsRejected);
        Assert.False(fault.IsActive);
    }

    [Fact]
    public async Task Silence_keeps_the_socket_open_but_sends_nothing_not_even_pong()
    {
        await using var h = await SimHarness.StartAsync();
        await using var ws = await h.ConnectAsync();
        await ws.SubscribeAsync("""{"type":"allMids"}""", h.Timeout);
        await ws.ReceiveJsonAsync(h.Timeout);

        var fault = h.Sim.Faults.Silence();
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await ws.PingAsync(h.Timeout);
        await h.Sim.WaitUntilAsync(() => h.Sim.Stats.MessagesSuppressed >= 2, h.Timeout);

        Assert.Equal(WebSocketState.Open, ws.Socket.State);
        Assert.True(Assert.Single(h.Sim.Connections).IsSilenced);
        fault.Remove();
        await ws.PingAsync(h.Timeout);
        Assert.Equal("""{"channel":"pong"}""", await ws.ReceiveTextAsync(h.Timeout));
    }

    [Fact]
    public async Task Silence_with_a_duration_ends_by_itself()
    {
        await using var h = await SimHarness.StartAsync(tp => new SimulatorOptions { TimeProvider = tp, MarketTickInterval = TimeSpan.Zero });
        await using var ws = await h.ConnectAsync();
        h.Sim.Faults.Silence(duration: TimeSpan.FromSeconds(20));
        await ws.PingAsync(h.Timeout);
        await h.Sim.WaitUntilAsync(() => h.Sim.Stats.MessagesSuppressed == 1, h.Timeout);

        h.Time.Advance(TimeSpan.FromSeconds(20));
        await ws.PingAsync(h.Timeout);

        Assert.Equal("""{"channel":"pong"}""", await ws.ReceiveTextAsync(h.Timeout));
    }

    [Fact]
    public async Task Goodbye_sends_a_close_frame_and_counts_it()
    {
        await using var h = await SimHarness.StartAsync();
        await using var ws = await h.ConnectAsync();
        await h.Sim.WaitForConnectionsAsync(1, h.Timeout);

        h.Sim.Faults.Goodbye();

        var frame = await ws.WaitUntilCloseAsync(h.Timeout);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, frame.CloseStatus);
        Assert.Equal("goodbye", frame.CloseDescription);
        await ws.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, h.Timeout);
        await h.Sim.WaitForConnectionsAsync(0, h.Timeout);
        Assert.Equal(1, h.Sim.Stats.ConnectionsClosedByServer);
    }

    [Fact]
    public async Task Goodbye_with_a_count_also_hits_the_next_connection()
    {
        await using var h = await SimHarness.StartAsync();
        h.Sim.Faults.Goodbye(count: 1, status: WebSocketCloseStatus.InternalServerError, reason: "restarting");

        await using var ws = await WsTestClient.ConnectAsync(h.Sim.WsUrl, h.Timeout);

        var frame = await ws.WaitUntilCloseAsync(h.Timeout);
        Assert.Equal(WebSocketCloseStatus.InternalServerError, frame.CloseStatus);
        Assert.Equal("restarting", frame.CloseDescription);
    }

    [Fact]
    public async Task CorruptFrames_sends_text_that_is_not_json_and_keeps_the_connection()
    {
        await using var h = await SimHarness.StartAsync();
        await using var ws = await h.ConnectAsync();
        await h.Sim.WaitForConnectionsAsync(1, h.Timeout);

        h.Sim.Faults.SendCorruptFrames();

        var text = await ws.ReceiveTextAsync(h.Timeout);
        Assert.ThrowsAny<JsonException>(() => JsonNode.Parse(text));
        await ws.PingAsync(h.Timeout);
        Assert.Equal("pong", (string?)(await ws.ReceiveJsonAsync(h.Timeout))["channel"]);
    }

    [Fact]
    public async Task WebSocket_latency_holds_messages_until_simulator_time_passes()
    {
        await using var h = await SimHarness.StartAsync(tp => new SimulatorOptions { TimeProvider = tp, MarketTickInterval = TimeSpan.Zero });
        await using var ws = await h.ConnectAsync();
        h.Sim.Faults.AddLatency(TimeSpan.FromSeconds(2), FaultTarget.WebSocket, count: 1);

        await ws.PingAsync(h.Timeout);
        await h.Sim.WaitUntilAsync(() => h.Sim.Stats.PendingDelays == 1, h.Timeout);
        var pong = ws.ReceiveTextAsync(h.Timeout);
        Assert.False(pong.IsCompleted);
        h.Time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal("""{"channel":"pong"}""", await pong);
        await ws.PingAsync(h.Timeout);
        Assert.Equal("""{"channel":"pong"}""", await ws.ReceiveTextAsync(h.Timeout));
    }

    /// <summary>An abort right after the upgrade may hit the handshake itself or the first receive.</summary>
    private static async Task<bool> IsDroppedAsync(SimHarness h)
    {
        try
        {
            await using var client = await WsTestClient.ConnectAsync(h.Sim.WsUrl, h.Timeout);
            return (await client.WaitUntilCloseAsync(h.Timeout)).Aborted;
        }
        catch (WebSocketException)
        {
            return true;
        }
    }
}
