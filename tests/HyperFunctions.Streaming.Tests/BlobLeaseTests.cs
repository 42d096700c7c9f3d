using Azure.Storage.Blobs;
using HyperFunctions.Storage.Leases;
using HyperFunctions.TestSupport;

namespace HyperFunctions.Streaming.Tests;

public sealed class BlobLeaseTests
{
    [Fact]
    public async Task Releasing_a_held_lease_while_storage_is_gone_does_not_throw()
    {
        await using var azurite = await AzuriteInstance.StartNewAsync();
        var options = new BlobClientOptions();
        (options.Retry.MaxRetries, options.Retry.Delay) = (1, TimeSpan.FromMilliseconds(100)); // as StorageClients tunes them
        var container = new BlobServiceClient(azurite.ConnectionString, options).GetBlobContainerClient("leases-" + Guid.NewGuid().ToString("N")[..8]);
        var lease = new BlobLease(container, "keeper/leader", TimeSpan.FromSeconds(15));
        Assert.True(await lease.TryHoldAsync(CancellationToken.None));
        var other = new BlobLease(container, "keeper/leader", TimeSpan.FromSeconds(15));
        Assert.False(await other.TryHoldAsync(CancellationToken.None)); // one holder at a time

        await azurite.StopAsync();
        await lease.DisposeAsync(); // a clean stop while storage is away: the lease simply expires
        Assert.False(lease.IsHeld);
    }
}
