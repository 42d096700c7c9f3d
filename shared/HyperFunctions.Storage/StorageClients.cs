using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using HyperFunctions.Configuration;

namespace HyperFunctions.Storage;

/// <summary>
/// The Azure Storage service clients, built once from the connection string or, with
/// Storage:AccountName, from managed identity. Retries are short on purpose: when storage is gone the
/// safety ledger must fall back to a local HALT within seconds, not after minutes of SDK retries.
/// </summary>
public sealed class StorageClients
{
    public StorageClients(LoadedConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var storage = configuration.Settings.Storage;
        var timeout = TimeSpan.FromSeconds(storage.OperationTimeoutSeconds);

        var tableOptions = new TableClientOptions();
        Tune(tableOptions.Retry, timeout);
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        Tune(queueOptions.Retry, timeout);
        var blobOptions = new BlobClientOptions();
        Tune(blobOptions.Retry, timeout);

        var connection = configuration.Secrets.StorageConnectionString;
        if (connection is not null)
        {
            try
            {
                Tables = new TableServiceClient(connection, tableOptions);
                Queues = new QueueServiceClient(connection, queueOptions);
                Blobs = new BlobServiceClient(connection, blobOptions);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException or UriFormatException)
            {
                // The configuration check should have caught it; the SDK's own message may quote the value, so it is not passed on.
                throw new ConfigurationValidationException(
                    [$"{configuration.Secrets.StorageConnectionVariable ?? "Storage__ConnectionString"} is malformed: the Azure Storage SDK refused it ({ex.GetType().Name}); the value is not shown because it holds the account key."]);
            }
        }
        else
        {
            var account = storage.AccountName ?? throw new InvalidOperationException("Storage has neither a connection string nor an account name.");
            var credential = new DefaultAzureCredential();
            Tables = new TableServiceClient(new Uri($"https://{account}.table.core.windows.net"), credential, tableOptions);
            Queues = new QueueServiceClient(new Uri($"https://{account}.queue.core.windows.net"), credential, queueOptions);
            Blobs = new BlobServiceClient(new Uri($"https://{account}.blob.core.windows.net"), credential, blobOptions);
        }

        LedgerTable = Tables.GetTableClient(storage.LedgerTable);
        ProcessTable = Tables.GetTableClient(storage.ProcessTable);
        LeaseContainer = Blobs.GetBlobContainerClient(storage.LeaseContainer);
    }

    public TableServiceClient Tables { get; }
    public QueueServiceClient Queues { get; }
    public BlobServiceClient Blobs { get; }
    public TableClient LedgerTable { get; }
    public TableClient ProcessTable { get; }
    public BlobContainerClient LeaseContainer { get; }

    private static void Tune(RetryOptions retry, TimeSpan timeout)
    {
        retry.MaxRetries = 1;
        retry.Delay = TimeSpan.FromMilliseconds(200);
        retry.MaxDelay = TimeSpan.FromSeconds(1);
        retry.NetworkTimeout = timeout;
    }
}
