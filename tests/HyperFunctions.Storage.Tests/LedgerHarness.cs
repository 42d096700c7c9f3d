using HyperFunctions.Configuration;
using HyperFunctions.Domain.Safety;
using HyperFunctions.Storage;
using HyperFunctions.Storage.Ledger;
using HyperFunctions.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HyperFunctions.Storage.Tests;

[CollectionDefinition(AzuriteCollection.Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}

/// <summary>Builds ledgers against a given Azurite, each with its own clients (as separate processes would have).</summary>
internal static class LedgerHarness
{
    public static LoadedConfiguration Config(string connectionString, string table, string instance = "test", string configHash = "sha256:test", int operationTimeoutSeconds = 2) =>
        new(
            new HyperFunctionsSettings
            {
                Storage = new StorageSettings { LedgerTable = table, OperationTimeoutSeconds = operationTimeoutSeconds },
                Deployment = new DeploymentSettings { InstanceId = instance },
            },
            new HyperFunctionsSecrets { StorageConnectionString = connectionString },
            SafetyPolicy.Default,
            configHash,
            null);

    public static SafetyLedger Ledger(LoadedConfiguration config, TimeProvider time, ILogger<SafetyLedger>? logger = null)
    {
        var clients = new StorageClients(config);
        var store = new LedgerTableStore(clients.LedgerTable, config.Settings.Deployment.InstanceId);
        return new SafetyLedger(store, config, time, logger ?? NullLogger<SafetyLedger>.Instance);
    }

    public static LedgerTableStore Store(LoadedConfiguration config) =>
        new(new StorageClients(config).LedgerTable, config.Settings.Deployment.InstanceId);
}
