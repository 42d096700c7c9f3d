namespace HyperFunctions.Storage;

/// <summary>
/// Bounds the total time of one storage operation (the SDK's own retry included), so calls never stack
/// up behind a storage account that hangs instead of refusing: past the budget the caller gets a
/// <see cref="TimeoutException"/>, a storage fault like any other. Real time on purpose: it guards real I/O.
/// </summary>
public static class StorageTimeout
{
    public static async Task<T> BoundAsync<T>(Func<CancellationToken, Task<T>> operation, TimeSpan budget, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(operation);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(budget);
        try
        {
            return await operation(limit.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"storage did not answer within {budget.TotalSeconds:F0} s (Storage:OperationTimeoutSeconds)");
        }
    }

    public static Task BoundAsync(Func<CancellationToken, Task> operation, TimeSpan budget, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return BoundAsync(async t => { await operation(t); return true; }, budget, ct);
    }
}
