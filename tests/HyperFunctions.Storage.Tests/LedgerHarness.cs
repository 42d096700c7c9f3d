using HyperFunctions.Configuration;
using HyperFunctions.Domain.Safety;
using HyperFunctions.Storage;
using HyperFunctions.Storage.Ledger;
using HyperFunctions.TestSupport;
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
    public static LoadedConfiguration Config(string connectionString, string table, string instance = "test") =>
        new(
            new HyperFunctionsSettings
            {
                Storage = new StorageSettings { LedgerTable = table, OperationTimeoutSeconds = 2 },
                Deployment = new DeploymentSettings { InstanceId = instance },
            },
            new HyperFunctionsSecrets { StorageConnectionString = connectionString },
            SafetyPolicy.Default,
            "sha256:test",
            null);

    public static SafetyLedger Ledger(LoadedConfiguration config, TimeProvider time)
    {
        var clients = new StorageClients(config);
        var store = new LedgerTableStore(clients.LedgerTable, config.Settings.Deployment.InstanceId);
        return new SafetyLedger(store, config, time, NullLogger<SafetyLedger>.Instance);
    }

    public static LedgerTableStore Store(LoadedConfiguration config) =>
        new(new StorageClients(config).LedgerTable, config.Settings.Deployment.InstanceId);
}
