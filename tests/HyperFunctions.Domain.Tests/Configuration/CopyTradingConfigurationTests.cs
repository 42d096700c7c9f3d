using HyperFunctions.Configuration;
using Microsoft.Extensions.Configuration;

namespace HyperFunctions.Domain.Tests.Configuration;

public sealed class CopyTradingConfigurationTests
{
    private const string Own = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
    private const string Target = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

    private static Task<LoadedConfiguration> Load(IDictionary<string, string?> values, params string[] without)
    {
        var all = new Dictionary<string, string?>
        {
            ["Api:AdminKey"] = "admin-key-0123456789abcdef",
            ["Api:FunctionKey"] = "function-key-0123456789abcdef",
            ["Keeper:Accounts:0"] = Own,
            ["Keeper:Accounts:1"] = Target,
            ["CopyTrading:Enabled"] = "true",
            ["CopyTrading:TargetAccount"] = Target,
            ["CopyTrading:Coins:BTC:MaxOrderSize"] = "0.01",
        };
        foreach (var kv in values) all[kv.Key] = kv.Value;
        foreach (var key in without) all.Remove(key);
        return ConfigurationLoader.LoadAsync(new ConfigurationBuilder().AddInMemoryCollection(all).Build(), null, requireApiKeys: true);
    }

    private static async Task<string> ErrorOf(IDictionary<string, string?> values, params string[] without) =>
        (await Assert.ThrowsAsync<ConfigurationValidationException>(() => Load(values, without))).Message;

    [Fact]
    public async Task A_valid_section_loads_with_the_target_lower_cased_and_the_own_account_is_refused_as_target()
    {
        var loaded = await Load(new Dictionary<string, string?>());
        Assert.Equal(Target.ToLowerInvariant(), loaded.Settings.CopyTrading.EffectiveTarget);
        Assert.Equal((1m, 0.01m, 2), (loaded.Settings.CopyTrading.Ratio, loaded.Settings.CopyTrading.Slippage, loaded.Settings.CopyTrading.PollIntervalSeconds));
        Assert.Empty(ConfigurationLoader.CopyTradingErrors(loaded, Own));
        var own = ConfigurationLoader.CopyTradingErrors(await Load(new Dictionary<string, string?> { ["CopyTrading:TargetAccount"] = Own }), Own);
        Assert.Contains("is the own account", Assert.Single(own), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_bad_setting_is_named()
    {
        Assert.Contains("CopyTrading:TargetAccount is missing", await ErrorOf(new Dictionary<string, string?> { ["CopyTrading:TargetAccount"] = null }), StringComparison.Ordinal);
        Assert.Contains("not in Keeper:Accounts", await ErrorOf(new Dictionary<string, string?> { ["Keeper:Accounts:1"] = "0x00000000000000000000000000000000000000ab" }), StringComparison.Ordinal);
        Assert.Contains("CopyTrading.TargetAccount", await ErrorOf(new Dictionary<string, string?> { ["CopyTrading:TargetAccount"] = "0x123" }), StringComparison.Ordinal);
        Assert.Contains("CopyTrading:Coins is empty", await ErrorOf(new Dictionary<string, string?>(), "CopyTrading:Coins:BTC:MaxOrderSize"), StringComparison.Ordinal);
        Assert.Contains("CopyTrading.Ratio", await ErrorOf(new Dictionary<string, string?> { ["CopyTrading:Ratio"] = "-1" }), StringComparison.Ordinal);
        Assert.Contains("CopyTrading.Slippage", await ErrorOf(new Dictionary<string, string?> { ["CopyTrading:Slippage"] = "0.9" }), StringComparison.Ordinal);
        Assert.Contains("MaxPosition", await ErrorOf(new Dictionary<string, string?> { ["CopyTrading:Coins:BTC:MaxPosition"] = "0" }), StringComparison.Ordinal);
        // Disabled: nothing about the section is required.
        await Load(new Dictionary<string, string?> { ["CopyTrading:Enabled"] = "false" }, "CopyTrading:TargetAccount", "CopyTrading:Coins:BTC:MaxOrderSize");
    }
}
