using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;

namespace HyperFunctions.Storage.Leases;

/// <summary>
/// A singleton lock on a blob lease: acquired when free, renewed while held, released on dispose. One
/// replica holds it; the others see <c>false</c> and wait. If the holder dies, the lease expires after
/// its duration and the next <see cref="TryHoldAsync"/> of another replica wins it. Used by the timer
/// scheduler (one runner per timer) and the stream keeper (one writer).
/// </summary>
public sealed class BlobLease(BlobContainerClient container, string blobName, TimeSpan duration) : IAsyncDisposable
{
    private readonly BlobClient _blob = container.GetBlobClient(blobName);
    private BlobLeaseClient? _lease;

    /// <summary>Whether this instance held the lease at its last successful call.</summary>
    public bool IsHeld => _lease is not null;

    public TimeSpan Duration => duration;

    /// <summary>Renews the lease if held, otherwise tries to acquire it. False: another holder has it.</summary>
    public async Task<bool> TryHoldAsync(CancellationToken ct)
    {
        if (_lease is not null)
        {
            try
            {
                await _lease.RenewAsync(cancellationToken: ct);
                return true;
            }
            catch (RequestFailedException)
            {
                _lease = null; // lost it (expired and taken, or storage trouble): compete again
            }
        }
        await container.CreateIfNotExistsAsync(cancellationToken: ct);
        if (!await _blob.ExistsAsync(ct))
        {
            try { await _blob.UploadAsync(BinaryData.FromString(blobName), overwrite: false, ct); }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412) { /* another replica created it */ }
        }
        var candidate = _blob.GetBlobLeaseClient();
        try
        {
            await candidate.AcquireAsync(duration, cancellationToken: ct);
            _lease = candidate;
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false; // another replica holds it
        }
    }

    /// <summary>Gives the lease up at once (a clean stop), so a standby need not wait for it to expire.</summary>
    public async Task ReleaseAsync(CancellationToken ct)
    {
        var lease = _lease;
        _lease = null;
        if (lease is null) return;
        try { await lease.ReleaseAsync(cancellationToken: ct); }
        catch (Exception ex) when (ex is RequestFailedException or AggregateException or OperationCanceledException or TimeoutException)
        {
            // Storage is gone or slow (the SDK wraps exhausted retries in an AggregateException): the lease
            // expires by itself, and a stop must never fail over it.
        }
    }

    public async ValueTask DisposeAsync() => await ReleaseAsync(CancellationToken.None);
}
