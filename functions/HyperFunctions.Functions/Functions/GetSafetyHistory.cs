using System.Globalization;
using HyperFunctions.Configuration;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Functions.Http;
using HyperFunctions.Storage.Ledger;
using Microsoft.Extensions.Primitives;

namespace HyperFunctions.Functions.Functions;

/// <summary>GET /api/safety/history?limit=&amp;before= — transitions newest first; page back with before=nextBefore.</summary>
public sealed class GetSafetyHistory : IHttpFunction
{
    private const int DefaultLimit = 50;

    public string Name => nameof(GetSafetyHistory);

    public RouteHandlerBuilder Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/safety/history", async (HttpRequest request, SafetyLedger ledger, LoadedConfiguration config, CancellationToken ct) =>
        {
            var max = config.Settings.Api.MaxHistoryPageSize;
            var errors = new Dictionary<string, string[]>();
            var limit = ParseLong(request.Query["limit"], DefaultLimit, 1, max, "limit", errors);
            var before = ParseLong(request.Query["before"], null, 1, long.MaxValue, "before", errors);
            if (errors.Count > 0) return Problems.Invalid(errors);
            try
            {
                var items = await ledger.ReadHistoryAsync((int)limit!.Value, before, ct);
                var next = items.Count == limit && items[^1].Version > 1 ? items[^1].Version : (long?)null;
                return Results.Ok(new HistoryResponse(items.Select(TransitionView.Of).ToArray(), next));
            }
            catch (LedgerUnavailableException ex)
            {
                return LedgerResults.Unavailable(ex.Hold);
            }
        });

    /// <summary>
    /// A whole number in [min, max] given at most once; absent or empty gives the fallback. Digits only (no
    /// sign, space or exponent), so every other query string is a 400 naming the parameter. The Functions
    /// host forwards a repeated parameter joined with commas, which fails the same way.
    /// </summary>
    private static long? ParseLong(StringValues raw, long? fallback, long min, long max, string name, Dictionary<string, string[]> errors)
    {
        if (raw.Count > 1)
        {
            errors[name] = ["Give it at most once."];
            return null;
        }
        var text = raw.Count == 1 ? raw[0] : null;
        if (string.IsNullOrEmpty(text)) return fallback;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max) return value;
        errors[name] = [$"Must be a whole number from {min} to {max}."];
        return null;
    }
}
