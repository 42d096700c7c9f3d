using HyperFunctions.Simulator.Cli;
using HyperFunctions.Simulator.Core;
using HyperFunctions.Simulator.Exchange;
using HyperFunctions.Simulator.Market;

namespace HyperFunctions.Simulator.Tests;

public sealed class PriceRulesTests
{
    [Theory]
    [InlineData("1234.5", 0, true)]
    [InlineData("1234.56", 0, false)]
    [InlineData("0.001234", 0, true)]
    [InlineData("0.0012345", 0, false)]
    [InlineData("0.01234", 1, true)]
    [InlineData("0.012345", 1, false)]
    [InlineData("123456", 5, true)]
    [InlineData("67000.5", 5, false)]
    [InlineData("3500.25", 4, false)]
    [InlineData("0", 2, false)]
    public void Prices_follow_five_significant_figures_and_six_minus_szDecimals(string price, int szDecimals, bool valid) =>
        Assert.Equal(valid, PriceRules.IsValidPrice(decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture), szDecimals));

    [Theory]
    [InlineData(67_123.4, 5, 1)]
    [InlineData(3_456.78, 4, 0.1)]
    [InlineData(150.123, 2, 0.01)]
    [InlineData(0.5, 0, 0.00001)]
    [InlineData(123_456, 3, 1)]
    public void Tick_is_the_finest_valid_step(decimal price, int szDecimals, decimal tick) =>
        Assert.Equal(tick, PriceRules.Tick(price, szDecimals));

    [Fact]
    public void Wire_numbers_keep_one_decimal_on_integers() =>
        Assert.Equal(["97000.0", "0.0", "0.0147", "-1.5", "1670.1"], new[] { 97000m, 0m, 0.01470m, -1.50m, 1670.100m }.Select(Wire.Num));
}

public sealed class NonceTrackerTests
{
    private const long Now = 1_750_000_000_000;

    [Fact]
    public void A_nonce_is_accepted_once()
    {
        var tracker = new NonceTracker();

        Assert.Null(tracker.TryUse(Now, Now));
        Assert.Equal($"Invalid nonce: duplicate nonce {Now}", tracker.TryUse(Now, Now));
    }

    [Fact]
    public void Nonces_outside_the_two_day_one_day_window_are_refused()
    {
        var tracker = new NonceTracker();

        Assert.StartsWith("Invalid nonce: nonce too low", tracker.TryUse(Now - (long)TimeSpan.FromDays(2).TotalMilliseconds, Now), StringComparison.Ordinal);
        Assert.StartsWith("Invalid nonce: nonce too high", tracker.TryUse(Now + (long)TimeSpan.FromDays(1).TotalMilliseconds, Now), StringComparison.Ordinal);
        Assert.Null(tracker.TryUse(Now - 1000, Now));
    }

    [Fact]
    public void Once_100_are_kept_a_nonce_must_beat_the_smallest()
    {
        var tracker = new NonceTracker();
        for (var i = 1; i <= 100; i++)
        {
            Assert.Null(tracker.TryUse(Now + i, Now));
        }

        Assert.Equal($"Invalid nonce: nonce too low {Now} < {Now + 1}", tracker.TryUse(Now, Now));
        Assert.Null(tracker.TryUse(Now + 1000, Now));
        Assert.Equal($"Invalid nonce: nonce too low {Now + 1} < {Now + 2}", tracker.TryUse(Now + 1, Now));
    }
}

public sealed class PositionTests
{
    [Fact]
    public void Opening_adding_reducing_and_flipping_report_direction_and_pnl()
    {
        var position = new Position();

        Assert.Equal(new FillEffect(0m, "Open Long", 0m), position.Apply(isBuy: true, 1m, 100m));
        Assert.Equal(new FillEffect(1m, "Open Long", 0m), position.Apply(isBuy: true, 1m, 110m));
        Assert.Equal(105m, position.EntryPx);
        Assert.Equal(new FillEffect(2m, "Close Long", 5m), position.Apply(isBuy: false, 0.5m, 115m));
        Assert.Equal(new FillEffect(1.5m, "Long > Short", 7.5m), position.Apply(isBuy: false, 2m, 110m));
        Assert.Equal(-0.5m, position.Szi);
        Assert.Equal(110m, position.EntryPx);
        Assert.Equal(new FillEffect(-0.5m, "Close Short", 5m), position.Apply(isBuy: true, 0.5m, 100m));
        Assert.Equal(0m, position.Szi);
    }
}

public sealed class CliArgumentTests
{
    [Fact]
    public void Defaults_and_values_parse()
    {
        var parsed = SimulatorArguments.Parse(["--port", "5050", "--seed", "7", "--host", "localhost", "--account", "0x00000000000000000000000000000000000000AB", "--testnet"], out var error);

        Assert.Null(error);
        Assert.NotNull(parsed);
        var options = parsed.ToOptions();
        Assert.Equal(5050, options.Port);
        Assert.Equal(7, options.Seed);
        Assert.False(options.IsMainnet);
        Assert.Equal(["0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", "0x00000000000000000000000000000000000000ab"], options.Accounts.Select(a => a.Address));
        options.Validate();
    }

    [Theory]
    [InlineData("--port", "70000")]
    [InlineData("--port", "abc")]
    [InlineData("--port")]
    [InlineData("--seed", "1.5")]
    [InlineData("--host", "not-a-host")]
    [InlineData("--account", "0x12")]
    [InlineData("--bogus")]
    public void Bad_arguments_are_reported(params string[] args)
    {
        Assert.Null(SimulatorArguments.Parse(args, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public async Task The_cli_exits_non_zero_with_a_message_on_bad_input()
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var code = await SimulatorCli.RunAsync(["--port", "-1"], output, errors);

        Assert.Equal(SimulatorCli.ExitUsage, code);
        Assert.Contains("--port '-1' must be an integer within 0..65535.", errors.ToString(), StringComparison.Ordinal);
        Assert.Contains("Usage:", errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_options_are_refused_at_start()
    {
        Assert.Throws<ArgumentException>(() => new SimulatorOptions { Port = 70_000 }.Validate());
        Assert.Throws<ArgumentException>(() => new SimulatorOptions { Coins = [] }.Validate());
        Assert.Throws<ArgumentException>(() => new SimulatorOptions { Accounts = [new SimulatorAccount("bob")] }.Validate());
        Assert.Throws<ArgumentException>(() => new SimulatorOptions { Host = "example.org" }.Validate());
    }
}
