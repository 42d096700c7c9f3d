using HyperFunctions.Hyperliquid.Configuration;

namespace HyperFunctions.Hyperliquid.Tests.Rest;

public sealed class OptionsValidationTests
{
    private static readonly HyperliquidOptionsValidator Validator = new();

    [Fact]
    public void Simulator_network_needs_both_urls_and_says_which_key()
    {
        var result = Validator.Validate(null, new HyperliquidOptions());

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("Hyperliquid:RestUrl", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("Hyperliquid:WsUrl", StringComparison.Ordinal));
    }

    [Fact]
    public void Mainnet_defaults_are_valid_and_resolve_public_endpoints()
    {
        var options = new HyperliquidOptions { Network = HyperliquidNetwork.Mainnet };

        Assert.True(Validator.Validate(null, options).Succeeded);
        Assert.Equal("wss://api.hyperliquid.xyz/ws", options.ResolvedWsUrl.ToString());
        Assert.Equal("https://api.hyperliquid-testnet.xyz/", new HyperliquidOptions { Network = HyperliquidNetwork.Testnet }.ResolvedRestUrl.ToString());
    }

    [Fact]
    public void A_ping_interval_at_or_above_the_venue_idle_close_is_refused()
    {
        var options = new HyperliquidOptions { Network = HyperliquidNetwork.Testnet };
        options.Socket.PingInterval = TimeSpan.FromSeconds(60);

        var failure = Assert.Single(Validator.Validate(null, options).Failures!);
        Assert.Contains("Hyperliquid:Socket:PingInterval", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_numbers_name_their_keys()
    {
        var options = new HyperliquidOptions { Network = HyperliquidNetwork.Testnet, WsUrl = new Uri("http://x/ws") };
        options.Rest.WeightBudgetPerMinute = 0;
        options.Rest.RateLimitPenaltyFactor = 2;
        options.Socket.BackoffJitter = 1.5;
        options.Socket.BackoffMax = TimeSpan.FromMilliseconds(10);

        var failures = string.Join('\n', Validator.Validate(null, options).Failures!);
        Assert.Contains("Hyperliquid:WsUrl", failures, StringComparison.Ordinal);
        Assert.Contains("Hyperliquid:Rest:WeightBudgetPerMinute", failures, StringComparison.Ordinal);
        Assert.Contains("Hyperliquid:Rest:RateLimitPenaltyFactor", failures, StringComparison.Ordinal);
        Assert.Contains("Hyperliquid:Socket:BackoffJitter", failures, StringComparison.Ordinal);
        Assert.Contains("Hyperliquid:Socket:BackoffMax", failures, StringComparison.Ordinal);
    }

    [Fact]
    public void A_floor_above_the_budget_is_refused_with_both_keys_named()
    {
        var options = new HyperliquidOptions { Network = HyperliquidNetwork.Testnet };
        options.Rest.WeightBudgetPerMinute = 200; // several processes behind one IP: lowered, floor left at its default 300

        var failure = Assert.Single(Validator.Validate(null, options).Failures!);
        Assert.Equal("Hyperliquid:Rest:MinimumWeightBudget (300) must not exceed Hyperliquid:Rest:WeightBudgetPerMinute (200); lower both together.", failure);

        options.Rest.MinimumWeightBudget = 100;
        Assert.True(Validator.Validate(null, options).Succeeded);
    }

    [Fact]
    public void The_recovery_step_is_bounded_and_names_its_key()
    {
        var options = new HyperliquidOptions { Network = HyperliquidNetwork.Testnet };
        options.Rest.RateLimitRecoveryStep = -1;

        var failure = Assert.Single(Validator.Validate(null, options).Failures!);
        Assert.Contains("Hyperliquid:Rest:RateLimitRecoveryStep", failure, StringComparison.Ordinal);

        options.Rest.RateLimitRecoveryStep = 0; // off: only the penalty duration restores the budget
        Assert.True(Validator.Validate(null, options).Succeeded);
        Assert.Equal(300, new HyperliquidRestOptions().MinimumWeightBudget);
        Assert.Equal(10, new HyperliquidRestOptions().RateLimitRecoveryStep);
    }
}
