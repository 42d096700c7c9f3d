namespace HyperFunctions.Configuration;

/// <summary>
/// Secrets, read only from the environment (where Azure resolves Key Vault references into app
/// settings). Never bound from the settings file, never hashed, never logged: ToString is redacted.
/// </summary>
public sealed record HyperFunctionsSecrets
{
    /// <summary>Environment variables read, in order of preference, for the storage connection string.</summary>
    public static readonly string[] StorageConnectionVariables = ["Storage__ConnectionString", "AzureWebJobsStorage"];
    public const string AdminKeyVariable = "Api__AdminKey";
    public const string FunctionKeyVariable = "Api__FunctionKey";
    public const string HyperliquidPrivateKeyVariable = "Hyperliquid__PrivateKey";
    public const string HyperliquidAccountVariable = "Hyperliquid__AccountAddress";
    public const string LocalStorageConnectionString = "UseDevelopmentStorage=true";

    public string? StorageConnectionString { get; init; }

    /// <summary>Which variable <see cref="StorageConnectionString"/> came from, for error messages (never the value).</summary>
    public string? StorageConnectionVariable { get; init; }
    public string? AdminKey { get; init; }
    public string? FunctionKey { get; init; }

    /// <summary>Alert channel name → the value of the environment variable its SecretVariable names (a Slack webhook URL,
    /// a PagerDuty routing key, an SMTP password, a webhook bearer token). A channel whose variable is unset is absent.</summary>
    public IReadOnlyDictionary<string, string> AlertSecrets { get; init; } = new Dictionary<string, string>();

    /// <summary>The signing key (an API wallet's), from <see cref="HyperliquidPrivateKeyVariable"/> only.</summary>
    public string? HyperliquidPrivateKey { get; init; }

    /// <summary>The account the key trades for, from <see cref="HyperliquidAccountVariable"/> (not secret, but set beside the key).</summary>
    public string? HyperliquidAccountAddress { get; init; }

    public override string ToString() => "HyperFunctionsSecrets { (redacted) }";
}
