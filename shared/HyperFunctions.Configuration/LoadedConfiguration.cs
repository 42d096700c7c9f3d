using HyperFunctions.Domain.Safety;

namespace HyperFunctions.Configuration;

/// <summary>Validated settings, the secrets read from the environment, the safety policy and the config hash.</summary>
public sealed record LoadedConfiguration(
    HyperFunctionsSettings Settings,
    HyperFunctionsSecrets Secrets,
    SafetyPolicy Policy,
    string ConfigHash,
    string? SettingsFile);
