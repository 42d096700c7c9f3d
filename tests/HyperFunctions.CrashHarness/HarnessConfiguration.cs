using HyperFunctions.Configuration;
using HyperFunctions.Domain.Safety;

namespace HyperFunctions.CrashHarness;

/// <summary>
/// The settings of a harness process: the same file and environment variables the function app reads,
/// bound to the same <see cref="HyperFunctionsSettings"/>, but without <see cref="ConfigurationLoader"/>'s
/// schema validation, which costs about 0.9 s of CPU per start (two NJsonSchema passes) and would make a
/// few hundred kills take minutes longer. The test's own app process loads the same settings through the
/// loader, so they are valid. The harness applies no ledger command, so the config hash is only a label.
/// </summary>
public static class HarnessConfiguration
{
    public static LoadedConfiguration Load(IConfiguration configuration, string? settingsFile)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = configuration.Get<HyperFunctionsSettings>() ?? new HyperFunctionsSettings();
        var secrets = new HyperFunctionsSecrets
        {
            StorageConnectionString = Value(configuration, "Storage:ConnectionString") ?? Value(configuration, "AzureWebJobsStorage")
                ?? throw new InvalidOperationException("Set Storage__ConnectionString for the crash harness."),
            StorageConnectionVariable = HyperFunctionsSecrets.StorageConnectionVariables[0],
            HyperliquidPrivateKey = Value(configuration, "Hyperliquid:PrivateKey"),
            HyperliquidAccountAddress = Value(configuration, "Hyperliquid:AccountAddress")?.ToLowerInvariant(),
        };
        return new LoadedConfiguration(settings, secrets, SafetyPolicy.Default, "crash-harness", settingsFile);
    }

    private static string? Value(IConfiguration configuration, string key) => configuration[key] is { Length: > 0 } v && !string.IsNullOrWhiteSpace(v) ? v : null;
}
