using System.Text.Json.Nodes;
using HyperFunctions.Simulator.Cli;
using HyperFunctions.Simulator.Tests.Support;

namespace HyperFunctions.Simulator.Tests;

public sealed class CopyTargetBotTests
{
    private const string Bot = CopyTargetBotOptions.DefaultAddress;

    [Fact]
    public async Task The_bot_trades_on_the_simulator_clock_alternating_sides_as_taker_fills_of_its_own_account()
    {
        await using var h = await SimHarness.StartAsync(tp => new SimulatorOptions
        {
            TimeProvider = tp,
            CopyTargetBot = new CopyTargetBotOptions(Bot) { Interval = TimeSpan.FromSeconds(5) },
        });
        Assert.Equal(Bot, h.Sim.CopyTarget!.Address);

        h.Time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(0, h.Sim.Stats.BotTrades);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        h.Time.Advance(TimeSpan.FromSeconds(5));
        await h.Sim.WaitUntilAsync(() => h.Sim.Stats.BotTrades == 2, h.Timeout);

        var fills = (await h.InfoAsync($$"""{"type":"userFills","user":"{{Bot}}"}"""))!.AsArray().OfType<JsonObject>().OrderBy(f => (long)f["tid"]!).ToList();
        Assert.Equal(["B", "A"], fills.Select(f => (string)f["side"]!));
        Assert.All(fills, f => Assert.Equal(("BTC", "0.002", true), ((string)f["coin"]!, (string)f["sz"]!, (bool)f["crossed"]!)));
        var position = (await h.InfoAsync($$"""{"type":"clearinghouseState","user":"{{Bot}}"}"""))!["assetPositions"]!.AsArray();
        Assert.Empty(position); // bought and sold the same size: flat
        Assert.Equal(0, h.Sim.Stats.Orders); // the bot's orders are not /exchange orders
    }

    [Fact]
    public async Task Without_an_interval_the_bot_trades_only_when_asked_and_without_the_option_there_is_no_bot()
    {
        await using var h = await SimHarness.StartAsync(tp => new SimulatorOptions { TimeProvider = tp, CopyTargetBot = new CopyTargetBotOptions(Bot) { Interval = TimeSpan.Zero, Coin = "ETH", Size = 0.05m } });
        h.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, h.Sim.Stats.BotTrades);
        var trade = h.Sim.CopyTarget!.Trade();
        Assert.Equal(("ETH", true, 0.05m, true), (trade.Coin, trade.IsBuy, trade.Size, trade.Filled));
        Assert.False(h.Sim.CopyTarget.Trade().IsBuy);

        await using var plain = await SimHarness.StartAsync();
        Assert.Null(plain.Sim.CopyTarget);
    }

    [Fact]
    public void Bad_bot_options_and_the_command_line_flag()
    {
        Assert.Throws<ArgumentException>(() => new SimulatorOptions { CopyTargetBot = new CopyTargetBotOptions("bob") }.Validate());
        Assert.Throws<ArgumentException>(() => new SimulatorOptions { CopyTargetBot = new CopyTargetBotOptions(Bot) { Coin = "NOPE" } }.Validate());
        Assert.Throws<ArgumentException>(() => new SimulatorOptions { CopyTargetBot = new CopyTargetBotOptions(Bot) { Size = 0.0000001m } }.Validate());

        var parsed = SimulatorArguments.Parse(["--copy-target", "3"], out var error);
        Assert.Null(error);
        var bot = parsed!.ToOptions().CopyTargetBot!;
        Assert.Equal((Bot, TimeSpan.FromSeconds(3)), (bot.Address, bot.Interval));
        Assert.Null(SimulatorArguments.Parse([], out _)!.ToOptions().CopyTargetBot);
        Assert.Null(SimulatorArguments.Parse(["--copy-target", "0"], out var bad));
        Assert.Contains("--copy-target", bad, StringComparison.Ordinal);
    }
}
