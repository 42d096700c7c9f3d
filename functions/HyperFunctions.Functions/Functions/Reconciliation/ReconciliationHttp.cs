using Azure;
using HyperFunctions.Configuration;
using HyperFunctions.Domain.Reconciliation;
using HyperFunctions.Functions.Http;
using HyperFunctions.Storage;

namespace HyperFunctions.Functions.Functions.Reconciliation;

/// <summary>What the reconciliation routes share: id validation, bounded storage calls, and the 503 for storage trouble.</summary>
internal static class ReconciliationHttp
{
    public const string IdField = "id";

    public static string? IdError(string id) =>
        ReportIds.IsWellFormed(id) ? null : "Must be a report id: 19 digits, a dash and 8 lower-case hex digits (see GET /api/reconciliation/latest).";

    public static TimeSpan Budget(LoadedConfiguration configuration) => TimeSpan.FromSeconds(configuration.Settings.Storage.OperationTimeoutSeconds);

    /// <summary>Runs a bounded storage read or write; storage trouble becomes a 503 problem instead of a 500.</summary>
    public static async Task<(T? Value, IResult? Error)> TryAsync<T>(Func<CancellationToken, Task<T>> operation, TimeSpan budget, CancellationToken ct)
    {
        try
        {
            return (await StorageTimeout.BoundAsync(operation, budget, ct), null);
        }
        catch (Exception ex) when (ex is RequestFailedException or TimeoutException && !ct.IsCancellationRequested)
        {
            return (default, Problems.Create(StatusCodes.Status503ServiceUnavailable, "Reconciliation storage unavailable",
                $"Nothing was changed. {ex.GetType().Name}: {SafeText.Display(ex.Message, 200)}"));
        }
    }
}
