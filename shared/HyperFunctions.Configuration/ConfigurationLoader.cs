using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using HyperFunctions.Domain;
using HyperFunctions.Domain.Safety;
using HyperFunctions.Domain.ServiceHealth;
using HyperFunctions.Hyperliquid.Configuration;
using Microsoft.Extensions.Configuration;

namespace HyperFunctions.Configuration;

/// <summary>
/// Turns the composed configuration (settings file + environment variables) into validated settings.
/// The file is checked against the schema as written (unknown keys, misplaced secrets), then the
/// effective values after environment overrides are checked against the same schema, so a bad
/// override is caught as surely as a bad file. Any error throws <see cref="ConfigurationValidationException"/>.
/// </summary>
public static class ConfigurationLoader
{
    /// <summary>Environment variable naming the settings file (default: hyperfunctions.json beside the app).</summary>
    public const string SettingsFileVariable = "HF_SETTINGS_FILE";
    public const string DefaultSettingsFileName = "hyperfunctions.json";
    public const int MinimumKeyLength = 16;

    private static readonly JsonSerializerOptions EffectiveJson = new()
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <param name="configuration">File + environment, composed the .NET way.</param>
    /// <param name="settingsFile">The settings file that was added to <paramref name="configuration"/>, if any.</param>
    /// <param name="requireApiKeys">True when this process checks API keys itself (self-host mode).</param>
    public static async Task<LoadedConfiguration> LoadAsync(IConfiguration configuration, string? settingsFile, bool requireApiKeys)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var errors = new List<string>();

        if (settingsFile is not null)
        {
            if (!File.Exists(settingsFile))
                throw new ConfigurationValidationException([$"Settings file '{settingsFile}' does not exist (set {SettingsFileVariable} to the right path)."]);
            errors.AddRange(await SettingsSchema.ValidateAsync(await File.ReadAllTextAsync(settingsFile), Path.GetFileName(settingsFile)));
        }

        HyperFunctionsSettings settings;
        try
        {
            settings = configuration.Get<HyperFunctionsSettings>() ?? new HyperFunctionsSettings();
        }
        catch (InvalidOperationException ex)
        {
            // The binder names the key ("Failed to convert configuration value at 'Storage:ProbeIntervalSeconds'…").
            throw new ConfigurationValidationException([.. errors, $"{ex.Message} (from the settings file or the matching Section__Key environment variable)"]);
        }

        var effective = JsonSerializer.SerializeToNode(settings, EffectiveJson)!.AsObject();
        if (errors.Count == 0)
        {
            // Only worth reporting when the file was fine: then any error comes from an environment override.
            errors.AddRange((await SettingsSchema.ValidateAsync(effective.ToJsonString(), "effective settings"))
                .Select(e => e + " Check the environment override for that key (Section__Key)."));
        }

        if (settings.Hyperliquid is { } venue)
        {
            var result = new HyperliquidOptionsValidator().Validate(null, venue);
            if (result.Failed) errors.AddRange(result.Failures);
            if (venue.Network == HyperliquidNetwork.Simulator && settings.Deployment.Mode == DeploymentMode.Live)
                errors.Add("Hyperliquid:Network is Simulator but Deployment:Mode is Live: live trading must point at Testnet or Mainnet.");
        }

        if (settings.Hosting.RunKeeper && settings.Hyperliquid is null)
            errors.Add("Hosting:RunKeeper is true but the Hyperliquid section is missing: the keeper needs the venue endpoints.");
        ValidateStartMode(settings, errors);
        ValidateChecks(settings.Checks, errors);
        ValidateReconciliation(settings.Reconciliation, errors);
        if (settings.Execution.RateLimitBackoff.BaseSeconds > settings.Execution.RateLimitBackoff.MaxSeconds)
            errors.Add($"Execution:RateLimitBackoff:BaseSeconds ({settings.Execution.RateLimitBackoff.BaseSeconds}) must not be above MaxSeconds ({settings.Execution.RateLimitBackoff.MaxSeconds}).");
        ValidateCopyTrading(settings, errors);
        ValidateRawProbes(configuration, settings.ServiceHealth, errors);
        ValidateServiceHealth(settings.ServiceHealth, errors);
        FailoverSettingsValidator.Validate(settings.Failover, settings.ServiceHealth, errors);
        var alertSecrets = AlertSettingsValidator.Validate(settings.Alerts, settings.Deployment.Mode, name => configuration[name], errors);
        var secrets = ReadSecrets(configuration, settings, requireApiKeys, errors) with { AlertSecrets = alertSecrets };
        var policy = BuildPolicy(settings.Safety, errors);
        if (errors.Count > 0) throw new ConfigurationValidationException(errors);

        return new LoadedConfiguration(settings, secrets, policy, ConfigHash.Compute(Hashed(effective, configuration)), settingsFile);
    }

    /// <summary>
    /// The settings the configuration hash covers: the instance's configuration, without what names the process
    /// itself (Failover:Site): the two failover sites run one configuration, and a backup process starting must
    /// not count as a deployment (CONFIG_CHANGED) for the instance. Failover:Dns is bound by the DNS library, not by
    /// <see cref="HyperFunctionsSettings"/>, so its raw values are added (it holds the token's variable name, never a token).
    /// </summary>
    private static JsonObject Hashed(JsonObject effective, IConfiguration configuration)
    {
        var copy = effective.DeepClone().AsObject();
        if (copy["Failover"] is JsonObject failover)
        {
            failover.Remove("Site");
            var dns = configuration.GetSection("Failover:Dns");
            if (dns.Exists()) failover["Dns"] = RawSection(dns);
        }
        return copy;
    }

    private static JsonNode? RawSection(IConfigurationSection section)
    {
        var children = section.GetChildren().ToList();
        if (children.Count == 0) return section.Value is { } value ? JsonValue.Create(value) : null;
        var node = new JsonObject();
        foreach (var child in children) node[child.Key] = RawSection(child);
        return node;
    }

    /// <summary>
    /// What a process that executes orders (the function app, not the keeper) needs beyond the common
    /// settings: with Deployment:Mode=Live, Execution:Mode=live and the Hyperliquid adapter, the signing key
    /// and the account, each named by its environment variable. Empty when all is well.
    /// </summary>
    public static IReadOnlyList<string> ExecutionKeyErrors(LoadedConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var (settings, secrets) = (configuration.Settings, configuration.Secrets);
        var errors = new List<string>();
        if (settings.Deployment.Mode != DeploymentMode.Live || settings.Execution.Mode != "live"
            || !string.Equals(settings.Execution.Adapter, "Hyperliquid", StringComparison.OrdinalIgnoreCase))
            return errors;
        if (secrets.HyperliquidPrivateKey is null)
            errors.Add($"Execution:Mode is live with the Hyperliquid adapter and Deployment:Mode is Live, but {HyperFunctionsSecrets.HyperliquidPrivateKeyVariable} is not set: set it to the API wallet's private key (0x + 64 hex).");
        if (secrets.HyperliquidAccountAddress is null)
            errors.Add($"Execution:Mode is live with the Hyperliquid adapter and Deployment:Mode is Live, but {HyperFunctionsSecrets.HyperliquidAccountVariable} is not set: set it to the account the API wallet trades for.");
        return errors;
    }

    /// <summary>Where the settings file is: HF_SETTINGS_FILE if set, else hyperfunctions.json in <paramref name="baseDirectory"/> if present.</summary>
    public static string? LocateSettingsFile(string baseDirectory, Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        var explicitPath = getEnvironmentVariable(SettingsFileVariable);
        if (!string.IsNullOrWhiteSpace(explicitPath)) return Path.GetFullPath(explicitPath);
        var candidate = Path.Combine(baseDirectory, DefaultSettingsFileName);
        return File.Exists(candidate) ? candidate : null;
    }

    private static HyperFunctionsSecrets ReadSecrets(IConfiguration configuration, HyperFunctionsSettings settings, bool requireApiKeys, List<string> errors)
    {
        var (connection, connectionVariable) = ReadStorageConnection(configuration);
        if (connection is null && settings.Storage.AccountName is null)
        {
            if (settings.Deployment.Mode == DeploymentMode.Live)
                errors.Add("Storage: no connection. Set Storage__ConnectionString (or AzureWebJobsStorage), or Storage:AccountName for managed identity. Live mode has no development default.");
            else
                (connection, connectionVariable) = (HyperFunctionsSecrets.LocalStorageConnectionString, "(development default)");
        }
        if (connection is not null) errors.AddRange(StorageConnectionString.Validate(connection, connectionVariable!));

        var admin = configuration["Api:AdminKey"];
        var function = configuration["Api:FunctionKey"];
        if (requireApiKeys)
        {
            RequireKey(admin, HyperFunctionsSecrets.AdminKeyVariable, errors);
            RequireKey(function, HyperFunctionsSecrets.FunctionKeyVariable, errors);
            if (admin is not null && admin == function)
                errors.Add($"{HyperFunctionsSecrets.AdminKeyVariable} and {HyperFunctionsSecrets.FunctionKeyVariable} must differ: a read key must not be able to change state.");
        }
        var privateKey = configuration["Hyperliquid:PrivateKey"];
        var account = configuration["Hyperliquid:AccountAddress"];
        if (string.IsNullOrWhiteSpace(privateKey)) privateKey = null;
        if (string.IsNullOrWhiteSpace(account)) account = null;
        if (account is not null && !System.Text.RegularExpressions.Regex.IsMatch(account, "^0x[0-9a-fA-F]{40}$"))
            errors.Add($"{HyperFunctionsSecrets.HyperliquidAccountVariable} is not an address (0x + 40 hex).");
        return new HyperFunctionsSecrets
        {
            StorageConnectionString = connection, StorageConnectionVariable = connectionVariable, AdminKey = admin, FunctionKey = function,
            HyperliquidPrivateKey = privateKey, HyperliquidAccountAddress = account?.ToLowerInvariant(),
        };
    }

    private static (string? Value, string? Variable) ReadStorageConnection(IConfiguration configuration)
    {
        var preferred = configuration["Storage:ConnectionString"];
        if (!string.IsNullOrWhiteSpace(preferred)) return (preferred, HyperFunctionsSecrets.StorageConnectionVariables[0]);
        var webJobs = configuration["AzureWebJobsStorage"];
        return string.IsNullOrWhiteSpace(webJobs) ? (null, null) : (webJobs, HyperFunctionsSecrets.StorageConnectionVariables[1]);
    }

    /// <summary>ARMED_LIVE as start mode only for a live deployment that says so explicitly (the runbook's "per config").</summary>
    private static void ValidateStartMode(HyperFunctionsSettings settings, List<string> errors)
    {
        if (settings.Safety.StartMode != "ARMED_LIVE") return;
        if (settings.Deployment.Mode != DeploymentMode.Live || !settings.Safety.AllowStartLive)
            errors.Add("Safety:StartMode is ARMED_LIVE, which is accepted only with Deployment:Mode=Live and Safety:AllowStartLive=true; keep ARMED_SAFE (the default) otherwise.");
    }

    private static void ValidateChecks(ChecksSettings checks, List<string> errors)
    {
        if (checks.Staleness.BackupRestUrl is { } backup
            && (!Uri.TryCreate(backup, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
            errors.Add($"Checks:Staleness:BackupRestUrl '{backup}' is not an absolute http(s) URL.");
        if (checks.Heartbeat.MaxKeeperHeartbeatAgeSeconds <= 0 || checks.Heartbeat.MaxDataSilenceSeconds <= 0)
            errors.Add("Checks:Heartbeat thresholds must be positive.");
    }

    private static void ValidateReconciliation(ReconciliationSettings r, List<string> errors)
    {
        if (!Enum.IsDefined(r.Mode))
            errors.Add($"Reconciliation:Mode '{r.Mode}' is not one of: Manual, Auto.");
        if (r.DriftRatio <= 0m || r.DriftRatio >= 1m)
            errors.Add($"Reconciliation:DriftRatio {r.DriftRatio} must be above 0 and below 1 (0.001 = 0.1 %).");
        if (r.CriticalRatio <= 0m || r.CriticalRatio > 1m)
            errors.Add($"Reconciliation:CriticalRatio {r.CriticalRatio} must be above 0 and at most 1.");
        else if (r.CriticalRatio <= r.DriftRatio)
            errors.Add($"Reconciliation:CriticalRatio {r.CriticalRatio} must be above Reconciliation:DriftRatio {r.DriftRatio}.");
        if (r.MinAbsoluteDrift < 0m)
            errors.Add($"Reconciliation:MinAbsoluteDrift {r.MinAbsoluteDrift} must not be negative.");
        if (r.ConfirmRuns is < 1 or > 10)
            errors.Add($"Reconciliation:ConfirmRuns {r.ConfirmRuns} must be from 1 to 10.");
        if (r.Account is { } account && !System.Text.RegularExpressions.Regex.IsMatch(account, "^0x[0-9a-fA-F]{40}$"))
            errors.Add($"Reconciliation:Account '{account}' is not an address (0x and 40 hex digits).");
    }

    /// <summary>
    /// Copy trading, when enabled: a target that the keeper follows (its fills are what is copied) and at least
    /// one coin to copy. That the target is not the own account is checked by <see cref="CopyTradingErrors"/>,
    /// which needs the secrets.
    /// </summary>
    private static void ValidateCopyTrading(HyperFunctionsSettings settings, List<string> errors)
    {
        var copy = settings.CopyTrading;
        if (!copy.Enabled) return;
        if (copy.TargetAccount is not { } target)
        {
            errors.Add("CopyTrading:TargetAccount is missing: copy trading is enabled and needs the account to follow (0x + 40 hex).");
            return;
        }
        if (!System.Text.RegularExpressions.Regex.IsMatch(target, "^0x[0-9a-fA-F]{40}$"))
            errors.Add($"CopyTrading:TargetAccount '{target}' is not an address (0x and 40 hex digits).");
        else if (!(settings.Keeper.Accounts ?? []).Any(a => string.Equals(a, target, StringComparison.OrdinalIgnoreCase)))
            errors.Add($"CopyTrading:TargetAccount {target} is not in Keeper:Accounts: the keeper must follow the target, its stored fills are what is copied.");
        if (copy.Ratio <= 0m) errors.Add($"CopyTrading:Ratio {copy.Ratio} must be above 0.");
        if (copy.Slippage <= 0m || copy.Slippage > 0.5m) errors.Add($"CopyTrading:Slippage {copy.Slippage} must be above 0 and at most 0.5.");
        if (copy.Coins is not { Count: > 0 })
            errors.Add("CopyTrading:Coins is empty: copy trading is enabled but no coin would be copied; list each coin with its caps.");
        foreach (var (coin, caps) in copy.Coins ?? [])
        {
            if (caps?.MaxOrderSize is <= 0m) errors.Add($"CopyTrading:Coins:{coin}:MaxOrderSize must be above 0 (or null for no cap).");
            if (caps?.MaxPosition is <= 0m) errors.Add($"CopyTrading:Coins:{coin}:MaxPosition must be above 0 (or null for no cap).");
        }
    }

    /// <summary>
    /// Copy trading against the secrets: the target must not be the own account (Hyperliquid__AccountAddress, or the
    /// signing key's address), or the copier would copy its own fills. Empty when all is well or copying is off.
    /// </summary>
    public static IReadOnlyList<string> CopyTradingErrors(LoadedConfiguration configuration, string? ownAccount)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var copy = configuration.Settings.CopyTrading;
        if (!copy.Enabled || copy.EffectiveTarget is not { } target || ownAccount is null) return [];
        return string.Equals(target, ownAccount, StringComparison.OrdinalIgnoreCase)
            ? [$"CopyTrading:TargetAccount {target} is the own account ({HyperFunctionsSecrets.HyperliquidAccountVariable}): fills of the own account are never copied; follow another account."]
            : [];
    }

    /// <summary>
    /// What the schema cannot say about the service probes: the target fields each type needs, well-formed
    /// URLs, unique names, a timeout shorter than the interval, a known type (case-insensitive). Number
    /// ranges are the schema's (checked on the file and on the effective settings). Each message names the
    /// setting as an environment override would (ServiceHealth:Checks:2:Url).
    /// </summary>
    private static void ValidateServiceHealth(ServiceHealthSettings serviceHealth, List<string> errors)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var probes = serviceHealth.EffectiveChecks;
        for (var i = 0; i < probes.Count; i++)
        {
            var probe = probes[i];
            var key = $"ServiceHealth:Checks:{i}";
            if (string.IsNullOrWhiteSpace(probe.Name))
                errors.Add($"{key}:Name is missing: every probe needs a unique name.");
            else if (!names.Add(probe.Name))
                errors.Add($"{key}:Name '{probe.Name}' is used by another probe: names must be unique.");
            if (probe.TimeoutSeconds >= probe.IntervalSeconds)
                errors.Add($"{key}:TimeoutSeconds ({probe.TimeoutSeconds}) must be less than {key}:IntervalSeconds ({probe.IntervalSeconds}).");
            if (!ProbeKinds.TryParse(probe.Type, out var kind))
            {
                errors.Add($"{key}:Type '{probe.Type}' is not a probe type; use one of {string.Join(", ", ProbeKinds.Names)}.");
                continue;
            }
            switch (kind)
            {
                case ProbeKind.Http:
                    RequireHttpUrl(probe.Url, $"{key}:Url", errors);
                    if (probe.ExpectedStatus is < 100 or > 599)
                        errors.Add($"{key}:ExpectedStatus ({probe.ExpectedStatus}) is not an HTTP status code.");
                    if (probe.Body is not null && !string.Equals(probe.Method, "POST", StringComparison.OrdinalIgnoreCase))
                        errors.Add($"{key}:Body is set but {key}:Method is not POST.");
                    break;
                case ProbeKind.Tcp:
                    if (string.IsNullOrWhiteSpace(probe.Host) || Uri.CheckHostName(probe.Host) == UriHostNameType.Unknown)
                        errors.Add($"{key}:Host '{probe.Host}' is not a host name or address (a tcp probe needs Host and Port).");
                    if (probe.Port is not (>= 1 and <= 65535))
                        errors.Add($"{key}:Port ({probe.Port}) is not a port number (1-65535).");
                    break;
                case ProbeKind.Table:
                    if (probe.Table is { } table && !System.Text.RegularExpressions.Regex.IsMatch(table, "^[A-Za-z][A-Za-z0-9]{2,62}$"))
                        errors.Add($"{key}:Table '{table}' is not a valid table name.");
                    break;
                case ProbeKind.Process:
                    if (string.IsNullOrWhiteSpace(probe.ProcessName) == (probe.KeeperHealthUrl is null))
                        errors.Add($"{key}: a process probe needs exactly one of ProcessName and KeeperHealthUrl.");
                    else if (probe.KeeperHealthUrl is not null)
                        RequireHttpUrl(probe.KeeperHealthUrl, $"{key}:KeeperHealthUrl", errors);
                    break;
            }
        }
    }

    private static readonly string[] ProbeIntegerKeys = ["IntervalSeconds", "TimeoutSeconds", "FailureThreshold", "ExpectedStatus", "Port"];

    /// <summary>
    /// The binder skips a list element it cannot convert, silently (a malformed override such as
    /// ServiceHealth__Checks__0__Port=http would drop the whole probe), so the raw values are checked here.
    /// </summary>
    private static void ValidateRawProbes(IConfiguration configuration, ServiceHealthSettings bound, List<string> errors)
    {
        var entries = configuration.GetSection("ServiceHealth:Checks").GetChildren().ToList();
        foreach (var entry in entries)
        {
            foreach (var key in ProbeIntegerKeys)
            {
                if (entry[key] is { } value && !int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out _))
                    errors.Add($"ServiceHealth:Checks:{entry.Key}:{key} '{value}' is not a whole number (from the settings file or the matching Section__Key environment variable).");
            }
            if (entry["Critical"] is { } critical && !bool.TryParse(critical, out _))
                errors.Add($"ServiceHealth:Checks:{entry.Key}:Critical '{critical}' is not true or false (from the settings file or the matching Section__Key environment variable).");
        }
        if (entries.Count != bound.EffectiveChecks.Count && errors.Count == 0)
            errors.Add($"ServiceHealth:Checks has {entries.Count} entries but only {bound.EffectiveChecks.Count} could be read; check the values of the others.");
    }

    private static void RequireHttpUrl(string? value, string key, List<string> errors)
    {
        if (value is null)
            errors.Add($"{key} is missing: this probe type needs an absolute http(s) URL.");
        else if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            errors.Add($"{key} '{SafeUrl(value)}' is not an absolute http(s) URL.");
    }

    /// <summary>A URL as it may appear in a message: without user info or query string (either may hold a key).</summary>
    private static string SafeUrl(string value) => ProbeText.ScrubUrl(value);

    private static void RequireKey(string? value, string variable, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
            errors.Add($"{variable} is not set; self-host mode checks API keys itself and needs it.");
        else if (value.Length < MinimumKeyLength)
            errors.Add($"{variable} is too short (at least {MinimumKeyLength} characters).");
    }

    private static SafetyPolicy BuildPolicy(SafetySettings safety, List<string> errors)
    {
        var defaults = SafetyPolicy.Default;
        return new SafetyPolicy(
            ToReasonMap(safety.AutoRecoverFromHalt, "Safety:AutoRecoverFromHalt", errors) ?? defaults.AutoRecoverFromHalt,
            ToReasonMap(safety.SelfClearing, "Safety:SelfClearing", errors) ?? defaults.SelfClearing);
    }

    private static FrozenDictionary<ReasonCode, TimeSpan>? ToReasonMap(Dictionary<string, int>? raw, string key, List<string> errors)
    {
        if (raw is null) return null;
        var map = new Dictionary<ReasonCode, TimeSpan>();
        foreach (var (name, seconds) in raw)
        {
            if (!WireNames<ReasonCode>.TryParse(name, out var reason) || reason.IsOperatorOnly())
                errors.Add($"{key}: '{name}' is not a reason code automatic recovery may use.");
            else
                map[reason] = TimeSpan.FromSeconds(seconds);
        }
        return map.ToFrozenDictionary();
    }

}
